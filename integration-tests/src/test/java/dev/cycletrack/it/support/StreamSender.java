package dev.cycletrack.it.support;

import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.stream.FramePublisher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sends streams of the sample clip as a camera would, in a background thread: each stream's LabelInit
 * (acknowledged before its frame 0), then one frame per stream every 1/fps seconds, open loop (on
 * time whether or not the tracker keeps up). Stream k shows the sample from frame {@code offsets[k]}.
 */
public final class StreamSender implements AutoCloseable {

    private final FramePublisher publisher;
    private final List<String> streams;
    private final int[] offsets;
    private final Map<String, List<Long>> sent = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean stop;
    private final List<byte[]> jpegs = new ArrayList<>();

    /** Sends {@code frames} frames per stream (seq 0..frames-1) at {@code fps} per stream. */
    public StreamSender(
            String bootstrap, TopicRegistry topics, List<String> streams, int[] offsets, int frames, double fps)
            throws IOException {
        this.publisher = new FramePublisher(bootstrap, topics, 90);
        this.streams = List.copyOf(streams);
        this.offsets = offsets.clone();
        int clip = Clips.sampleFrames().size();
        for (int i = 0; i < clip; i++) {
            jpegs.add(Clips.sampleJpeg(i));
        }
        for (String s : streams) {
            sent.put(s, new CopyOnWriteArrayList<>());
        }
        long intervalNs = (long) (1e9 / fps);
        thread = new Thread(
                () -> {
                    try {
                        for (int k = 0; k < this.streams.size(); k++) {
                            publisher.sendInit(init(k));
                        }
                        long next = System.nanoTime();
                        for (int seq = 0; seq < frames && !stop; seq++) {
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                // Pacing a live camera's frame rate, not waiting for a condition.
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                            for (int k = 0; k < this.streams.size(); k++) {
                                String s = this.streams.get(k);
                                int w = Clips.sample().width();
                                int h = Clips.sample().height();
                                publisher.sendFrame(s, seq, w, h, jpeg(k, seq));
                                sent.get(s).add((long) seq);
                            }
                            next += intervalNs;
                        }
                        publisher.flush();
                    } catch (Throwable t) {
                        failure = t;
                    }
                },
                "it-sender");
        thread.setDaemon(true);
    }

    public StreamSender start() {
        thread.start();
        return this;
    }

    /** The LabelInit of stream k: the sample's ground truth at its first frame. */
    public LabelInit init(int k) throws IOException {
        return Clips.sampleInit(streams.get(k), 0, offsets[k]);
    }

    /** The JPEG bytes frame {@code seq} of stream k carries. */
    public byte[] jpeg(int k, long seq) {
        return jpegs.get((int) Math.floorMod(offsets[k] + seq, (long) jpegs.size()));
    }

    public int[] offsets() {
        return offsets.clone();
    }

    public List<String> streams() {
        return streams;
    }

    /** The seqs sent so far, by stream. */
    public Map<String, List<Long>> sent() {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (String s : streams) {
            out.put(s, List.copyOf(sent.get(s)));
        }
        return out;
    }

    public int sentCount() {
        return sent.values().stream().mapToInt(List::size).sum();
    }

    public boolean done() {
        check();
        return !thread.isAlive();
    }

    private void check() {
        if (failure != null) {
            throw new AssertionError("sending failed: " + failure, failure);
        }
    }

    /** Stops sending after the frame in progress and waits until the sender is done (frames flushed). */
    public void finish() throws InterruptedException {
        stop = true;
        thread.join(30_000);
        publisher.flush();
        check();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(30_000);
        publisher.close();
        check();
    }
}
