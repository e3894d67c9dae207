package dev.cycletrack.stream.processor;

import com.google.protobuf.Message;
import dev.cycletrack.core.encoder.GridSize;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.core.propagation.PropagationContext;
import dev.cycletrack.core.propagation.Propagator;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;
import dev.cycletrack.core.tracking.FrameGeometry;
import dev.cycletrack.core.tracking.PropagationSettings;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.LabelStatus;
import dev.cycletrack.schemas.v1.StageTimings;
import dev.cycletrack.schemas.v1.StoredFrame;
import dev.cycletrack.schemas.v1.StreamMeta;
import dev.cycletrack.stream.FramePublisher;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.encoder.EncoderService;
import dev.cycletrack.stream.encoder.LoadedModel;
import dev.cycletrack.stream.metrics.TrackerMetrics;
import dev.cycletrack.stream.state.StateCodec;
import dev.cycletrack.stream.state.StreamStores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Labels the frames of every stream of one task. Input: Frame and LabelInit records keyed by stream
 * id; output: FrameLabels keyed by (stream, seq).
 *
 * <p>State per stream: the persistent {@link StreamStores} (frame 0 and the last m frames as encoded
 * bytes with their soft labels, the last seq, the model version) and an in-memory {@link LiveStream}
 * holding the feature tensors, rebuilt from the stores by re-encoding whenever it is missing (after a
 * restore, a rebalance, an eviction) or was made by another model version (after a swap).
 *
 * <p>Invalid input throws {@link InvalidInputException} before any state of the record is changed;
 * the processing exception handler puts it in the dead-letter topic. Duplicate and out-of-order
 * frames are dropped and counted.
 */
public final class TrackerProcessor implements Processor<String, Message, FrameKey, FrameLabels> {

    private final TrackerConfig config;
    private final EncoderService encoder;
    private final TrackerMetrics metrics;
    private final Propagator propagator = Propagator.windowed();
    private final Map<String, LiveStream> live = new HashMap<>();
    private ProcessorContext<FrameKey, FrameLabels> context;
    private KeyValueStore<String, StreamMeta> streams;
    private KeyValueStore<String, StoredFrame> frames;
    private Cancellable eviction;

    public TrackerProcessor(TrackerConfig config, EncoderService encoder, TrackerMetrics metrics) {
        this.config = config;
        this.encoder = encoder;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<FrameKey, FrameLabels> ctx) {
        this.context = ctx;
        this.streams = ctx.getStateStore(StreamStores.STREAMS);
        this.frames = ctx.getStateStore(StreamStores.FRAMES);
        if (!config.idleTimeout().isZero()) {
            eviction = ctx.schedule(config.evictionInterval(), PunctuationType.WALL_CLOCK_TIME, this::evictIdle);
        }
    }

    @Override
    public void process(Record<String, Message> record) {
        Message value = record.value();
        if (value instanceof Frame f) {
            metrics.frameIn();
            try {
                onFrame(record.key(), f, record.timestamp());
            } catch (RuntimeException e) {
                // The cache may be half-way through a step: rebuild it from the store next time.
                live.remove(f.getStreamId());
                throw e;
            } finally {
                reportContexts();
            }
        } else if (value instanceof LabelInit init) {
            onLabelInit(record.key(), init);
        } else {
            throw new InvalidInputException(
                    InvalidReason.MALFORMED_RECORD,
                    record.key(),
                    -1,
                    "a record with key " + record.key() + " has no value (tombstone or empty record)");
        }
    }

    // ---------------------------------------------------------------- LabelInit

    private void onLabelInit(String key, LabelInit init) {
        String stream = checkStream(key, init.getStreamId(), init.getSeq(), "LabelInit");
        StreamSetup.validate(init, config.inputSizeOverride());
        StreamMeta meta = streams.get(stream);
        if (meta != null && meta.getActive() && init.getSeq() <= meta.getLastSeq()) {
            throw new InvalidInputException(
                    InvalidReason.STALE_LABEL_INIT,
                    stream,
                    init.getSeq(),
                    "LabelInit of stream " + stream + " for frame " + init.getSeq() + " came after frame "
                            + meta.getLastSeq() + " was processed: send it before its frame");
        }
        StreamMeta.Builder b = meta == null ? StreamMeta.newBuilder().setStreamId(stream) : meta.toBuilder();
        b.setPendingInit(init).setLastActivityMs(context.currentSystemTimeMs());
        streams.put(stream, b.build());
        metrics.labelInit("accepted", "");
    }

    // ---------------------------------------------------------------- Frame

    private void onFrame(String key, Frame f, long timestamp) {
        long startNanos = System.nanoTime();
        long nowUs = context.currentSystemTimeMs() * 1000;
        String stream = checkStream(key, f.getStreamId(), f.getSeq(), "frame");
        long seq = f.getSeq();
        checkFrameShape(stream, f);
        StreamMeta meta = streams.get(stream);
        LabelInit pending = meta != null && meta.hasPendingInit() ? meta.getPendingInit() : null;
        boolean active = meta != null && meta.getActive();
        if (active && seq <= meta.getLastSeq()) {
            boolean dup = seq == meta.getLastSeq()
                    || seq == meta.getInitSeq()
                    || meta.getRecentSeqsList().contains(seq);
            // Dropped, and dead-lettered with the reason (counted as dropped) so that a resend or a replay
            // is visible; the context is untouched.
            throw new InvalidInputException(
                    dup ? InvalidReason.DUPLICATE : InvalidReason.OUT_OF_ORDER,
                    stream,
                    seq,
                    "frame " + seq + " of stream " + stream
                            + (dup
                                    ? " was already processed (a resend or an at-least-once replay)"
                                    : " is older than the stream's last frame " + meta.getLastSeq()
                                            + " and arrived too late")
                            + "; dropped");
        }
        if (pending != null && seq == pending.getSeq()) {
            startStream(meta, pending, f, timestamp, startNanos);
            return;
        }
        if (pending != null && seq > pending.getSeq()) {
            // The LabelInit's frame never came: it can no longer apply.
            meta = meta.toBuilder().clearPendingInit().build();
            streams.put(stream, meta);
            if (!active) {
                throw new InvalidInputException(
                        InvalidReason.NO_LABEL_INIT,
                        stream,
                        seq,
                        "frame " + seq + " of stream " + stream + ": the LabelInit for frame " + pending.getSeq()
                                + " never got its frame, so the stream has no context");
            }
        }
        if (!active) {
            throw new InvalidInputException(
                    InvalidReason.NO_LABEL_INIT,
                    stream,
                    seq,
                    "frame " + seq + " of stream " + stream
                            + (pending != null
                                    ? " comes before frame " + pending.getSeq() + ", where its LabelInit starts"
                                    : " has no LabelInit (never sent, or the stream was evicted after being idle)"));
        }
        long ageUs = nowUs - f.getCaptureTimeUs();
        if (!config.catchUp()
                && !config.maxFrameAge().isZero()
                && f.getCaptureTimeUs() > 0
                && ageUs > config.maxFrameAge().toNanos() / 1000) {
            streams.put(
                    stream,
                    meta.toBuilder()
                            .setLastSeq(seq)
                            .setLastActivityMs(context.currentSystemTimeMs())
                            .build());
            metrics.frame("skipped", "too_old");
            FrameLabels out = FrameLabels.newBuilder()
                    .setStreamId(stream)
                    .setSeq(seq)
                    .setCaptureTimeUs(f.getCaptureTimeUs())
                    .setEmitTimeUs(FramePublisher.nowMicros())
                    .setStatus(LabelStatus.SKIPPED)
                    .setInitSeq(meta.getInitSeq())
                    .build();
            emit(out, timestamp);
            return;
        }
        long t0 = System.nanoTime();
        RgbImage image = FrameImages.decode(stream, seq, f.getEncoding(), f.getWidth(), f.getHeight(), bytes(f));
        if (image.width() != meta.getImageWidth() || image.height() != meta.getImageHeight()) {
            throw new InvalidInputException(
                    InvalidReason.WRONG_SIZE,
                    stream,
                    seq,
                    "frame " + seq + " of stream " + stream + " is " + image.width() + "x" + image.height()
                            + " but the stream's context (frame " + meta.getInitSeq() + ") is "
                            + meta.getImageWidth() + "x" + meta.getImageHeight());
        }
        long decodeNs = System.nanoTime() - t0;
        LoadedModel model = encoder.acquireCurrent();
        try {
            LiveStream ls = live.get(stream);
            if (ls == null || !model.version().equals(ls.modelVersion) || ls.initSeq != meta.getInitSeq()) {
                ls = rebuild(meta, model);
                live.put(stream, ls);
            }
            long t1 = System.nanoTime();
            FeatureMap features = encoder.encode(model, resize(image, ls.geometry));
            long t2 = System.nanoTime();
            LabelMap soft = ls.context.step(features);
            long t3 = System.nanoTime();
            FrameLabels.Builder out = FrameLabels.newBuilder();
            ls.decodeInto(soft, out);
            long t4 = System.nanoTime();

            // The label goes out first, then the state, which lists only frames already stored, and the frame
            // leaving the ring is deleted last: a crash at any point (at-least-once) leaves a consistent
            // context, and the replayed frame is then either labelled again identically or dropped as a
            // duplicate after its label went out.
            finish(out, f, ls, model, startNanos, decodeNs, t2 - t1, t3 - t2, t4 - t3, timestamp);
            int m = ls.settings.params().contextLength();
            List<Long> recent = new ArrayList<>(meta.getRecentSeqsList());
            List<Long> leaving = new ArrayList<>();
            if (m > 0) {
                frames.put(StateCodec.frameKey(stream, seq), stored(f, seq, soft));
                recent.add(seq);
                while (recent.size() > m) {
                    leaving.add(recent.remove(0));
                }
            }
            streams.put(
                    stream,
                    meta.toBuilder()
                            .clearRecentSeqs()
                            .addAllRecentSeqs(recent)
                            .setLastSeq(seq)
                            .setFramesSeen(ls.context.framesSeen())
                            .setModelVersion(model.version())
                            .setLastActivityMs(context.currentSystemTimeMs())
                            .build());
            for (long old : leaving) {
                frames.delete(StateCodec.frameKey(stream, old));
            }
        } finally {
            model.release();
        }
    }

    /** Frame {@code init.seq} arrived: start (or restart) the stream's context from it. */
    private void startStream(StreamMeta meta, LabelInit init, Frame f, long timestamp, long startNanos) {
        String stream = init.getStreamId();
        long seq = f.getSeq();
        long t0 = System.nanoTime();
        RgbImage image = FrameImages.decode(stream, seq, f.getEncoding(), f.getWidth(), f.getHeight(), bytes(f));
        long decodeNs = System.nanoTime() - t0;
        if (init.getTask() == dev.cycletrack.schemas.v1.Task.KEYPOINTS) {
            StreamSetup.checkInside(init, image.width(), image.height());
        } else {
            var mask = StreamSetup.mask(init);
            if (mask.width() != image.width() || mask.height() != image.height()) {
                throw StreamSetup.invalid(
                        InvalidReason.MASK_SIZE_MISMATCH,
                        init,
                        "mask is " + mask.width() + "x" + mask.height() + " but frame " + seq + " is " + image.width()
                                + "x" + image.height());
            }
        }
        LoadedModel model = encoder.acquireCurrent();
        try {
            LiveStream ls = newLive(init, image.width(), image.height(), model);
            long t1 = System.nanoTime();
            FeatureMap features = encoder.encode(model, resize(image, ls.geometry));
            long t2 = System.nanoTime();
            LabelMap first = ls.encodeFirst();
            ls.context = PropagationContext.start(ls.settings.params(), propagator, features, first);
            ls.modelVersion = model.version();
            long t3 = System.nanoTime();
            FrameLabels.Builder out = FrameLabels.newBuilder();
            ls.decodeInto(first, out);
            long t4 = System.nanoTime();

            // Label first, state after (see onFrame): a crash in between replays the frame, which the
            // still-pending LabelInit starts again.
            live.put(stream, ls);
            finish(out, f, ls, model, startNanos, decodeNs, t2 - t1, t3 - t2, t4 - t3, timestamp);
            deleteFrames(meta);
            frames.put(StateCodec.frameKey(stream, seq), stored(f, seq, first));
            streams.put(
                    stream,
                    StreamMeta.newBuilder()
                            .setStreamId(stream)
                            .setActive(true)
                            .setInit(init)
                            .setInitSeq(seq)
                            .setImageWidth(image.width())
                            .setImageHeight(image.height())
                            .setLastSeq(seq)
                            .setFramesSeen(1)
                            .setModelVersion(model.version())
                            .setLastActivityMs(context.currentSystemTimeMs())
                            .build());
        } finally {
            model.release();
        }
    }

    private LiveStream newLive(LabelInit init, int width, int height, LoadedModel model) {
        PropagationSettings settings = StreamSetup.settings(init, config.inputSizeOverride());
        int[] size = settings.inputSize().apply(width, height);
        GridSize grid = model.encoder().gridSize(size[1], size[0]);
        FrameGeometry geometry = new FrameGeometry(
                width,
                height,
                size[0],
                size[1],
                grid.height(),
                grid.width(),
                model.encoder().stride());
        return new LiveStream(init, settings, geometry);
    }

    /**
     * Rebuilds a stream's context from the stores: frame 0 and the recent frames are decoded and
     * re-encoded with {@code model}; their soft labels are the stored ones, bit for bit.
     */
    private LiveStream rebuild(StreamMeta meta, LoadedModel model) {
        String stream = meta.getStreamId();
        LiveStream ls = newLive(meta.getInit(), meta.getImageWidth(), meta.getImageHeight(), model);
        List<Long> seqs = new ArrayList<>();
        seqs.add(meta.getInitSeq());
        seqs.addAll(meta.getRecentSeqsList());
        List<RgbImage> images = new ArrayList<>();
        List<LabelMap> labels = new ArrayList<>();
        for (long s : seqs) {
            StoredFrame sf = frames.get(StateCodec.frameKey(stream, s));
            if (sf == null) {
                throw new IllegalStateException(
                        "stream " + stream + ": stored frame " + s + " is missing from " + StreamStores.FRAMES);
            }
            RgbImage img = FrameImages.decode(
                    stream,
                    s,
                    sf.getEncoding(),
                    sf.getWidth(),
                    sf.getHeight(),
                    sf.getData().toByteArray());
            images.add(resize(img, ls.geometry));
            labels.add(StateCodec.fromProto(sf.getLabels()));
        }
        List<FeatureMap> features = new ArrayList<>();
        for (RgbImage img : images) {
            // One at a time: features bit-identical to those of the uninterrupted run.
            features.add(encoder.encode(model, img));
        }
        ls.context = PropagationContext.restore(
                ls.settings.params(),
                propagator,
                features.get(0),
                labels.get(0),
                features.subList(1, features.size()),
                labels.subList(1, labels.size()),
                meta.getFramesSeen());
        ls.modelVersion = model.version();
        return ls;
    }

    private void finish(
            FrameLabels.Builder out,
            Frame f,
            LiveStream ls,
            LoadedModel model,
            long startNanos,
            long decodeNs,
            long encodeNs,
            long propagateNs,
            long labelsNs,
            long timestamp) {
        long computeNs = System.nanoTime() - startNanos;
        // Timings use the precise wall clock (the stream thread's cached one is only for decisions such as
        // the frame age): processing started computeNs before the label's emission.
        long emitUs = FramePublisher.nowMicros();
        long queueUs = f.getCaptureTimeUs() > 0 ? Math.max(0, emitUs - computeNs / 1000 - f.getCaptureTimeUs()) : 0;
        out.setStreamId(f.getStreamId())
                .setSeq(f.getSeq())
                .setCaptureTimeUs(f.getCaptureTimeUs())
                .setEmitTimeUs(emitUs)
                .setModelVersion(model.version())
                .setStatus(LabelStatus.LABELLED)
                .setInitSeq(ls.initSeq)
                .setTimings(StageTimings.newBuilder()
                        .setDecodeUs(decodeNs / 1000)
                        .setEncodeUs(encodeNs / 1000)
                        .setPropagateUs(propagateNs / 1000)
                        .setLabelsUs(labelsNs / 1000)
                        .setQueueUs(queueUs)
                        .setComputeUs(computeNs / 1000));
        metrics.stage("decode", decodeNs);
        metrics.stage("encode", encodeNs);
        metrics.stage("propagate", propagateNs);
        metrics.stage("labels", labelsNs);
        if (f.getCaptureTimeUs() > 0) {
            metrics.stage("e2e", (emitUs - f.getCaptureTimeUs()) * 1000);
        }
        metrics.frame("labelled", "");
        emit(out.build(), timestamp);
    }

    private void emit(FrameLabels out, long timestamp) {
        FrameKey key = FrameKey.newBuilder()
                .setStreamId(out.getStreamId())
                .setSeq(out.getSeq())
                .build();
        context.forward(new Record<>(key, out, timestamp));
    }

    // ---------------------------------------------------------------- checks and helpers

    private static String checkStream(String key, String streamId, long seq, String what) {
        if (streamId.isBlank()) {
            throw new InvalidInputException(
                    InvalidReason.MISSING_STREAM_ID,
                    key,
                    seq,
                    what + " " + seq + " (key " + key + ") has no stream id");
        }
        if (key != null && !key.equals(streamId)) {
            throw new InvalidInputException(
                    InvalidReason.KEY_MISMATCH,
                    streamId,
                    seq,
                    what + " " + seq + " of stream " + streamId + " has key '" + key
                            + "': records must be keyed by their stream id");
        }
        return streamId;
    }

    private void checkFrameShape(String stream, Frame f) {
        long seq = f.getSeq();
        if (f.getData().isEmpty() || f.getWidth() <= 0 || f.getHeight() <= 0) {
            throw new InvalidInputException(
                    InvalidReason.EMPTY_FRAME,
                    stream,
                    seq,
                    "frame " + seq + " of stream " + stream + " is empty ("
                            + f.getData().size() + " bytes, " + f.getWidth() + "x" + f.getHeight() + ")");
        }
        if (f.getData().size() > config.maxFrameBytes()
                || (long) f.getWidth() * f.getHeight() > config.maxFramePixels()) {
            throw new InvalidInputException(
                    InvalidReason.FRAME_TOO_LARGE,
                    stream,
                    seq,
                    "frame " + seq + " of stream " + stream + " (" + f.getData().size() + " bytes, " + f.getWidth()
                            + "x" + f.getHeight() + ") is over the limit of " + config.maxFrameBytes() + " bytes and "
                            + config.maxFramePixels() + " pixels");
        }
    }

    private static byte[] bytes(Frame f) {
        return f.getData().toByteArray();
    }

    private static RgbImage resize(RgbImage image, FrameGeometry g) {
        return image.width() == g.processedWidth() && image.height() == g.processedHeight()
                ? image
                : Images.resizeBilinear(image, g.processedWidth(), g.processedHeight());
    }

    private static StoredFrame stored(Frame f, long seq, LabelMap labels) {
        return StoredFrame.newBuilder()
                .setSeq(seq)
                .setEncoding(f.getEncoding())
                .setWidth(f.getWidth())
                .setHeight(f.getHeight())
                .setData(f.getData())
                .setLabels(StateCodec.toProto(labels))
                .build();
    }

    private void deleteFrames(StreamMeta meta) {
        if (meta == null || !meta.getActive()) {
            return;
        }
        String stream = meta.getStreamId();
        frames.delete(StateCodec.frameKey(stream, meta.getInitSeq()));
        for (long s : meta.getRecentSeqsList()) {
            frames.delete(StateCodec.frameKey(stream, s));
        }
    }

    /** Punctuator: evicts streams idle for longer than the idle timeout (cache and stored state). */
    void evictIdle(long now) {
        long limit = now - config.idleTimeout().toMillis();
        List<StreamMeta> idle = new ArrayList<>();
        try (KeyValueIterator<String, StreamMeta> it = streams.all()) {
            while (it.hasNext()) {
                KeyValue<String, StreamMeta> kv = it.next();
                if (kv.value != null && kv.value.getLastActivityMs() < limit) {
                    idle.add(kv.value);
                }
            }
        }
        for (StreamMeta meta : idle) {
            deleteFrames(meta);
            streams.delete(meta.getStreamId());
            live.remove(meta.getStreamId());
        }
        if (!idle.isEmpty()) {
            metrics.evicted(idle.size());
        }
        reportContexts();
    }

    /** Streams with a live (in-memory) context in this processor. */
    int liveStreams() {
        return live.size();
    }

    private void reportContexts() {
        long bytes = 0;
        for (LiveStream ls : live.values()) {
            bytes += ls.byteSize();
        }
        metrics.contexts(this, live.size(), bytes);
    }

    @Override
    public void close() {
        if (eviction != null) {
            eviction.cancel();
        }
        live.clear();
        metrics.forget(this);
    }
}
