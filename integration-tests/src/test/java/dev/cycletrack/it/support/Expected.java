package dev.cycletrack.it.support;

import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.encoder.PaddingMode;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.schemas.v1.Encoding;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares what a tracker answered for a {@link StreamSender}'s streams with an uninterrupted offline run. */
public final class Expected {

    private Expected() {}

    /** The (stream/seq: why) of every answer that differs from the offline run of the random encoder (seed 0). */
    public static List<String> differences(StreamSender sender, Answers answers, InputSize input) throws Exception {
        return differences(sender.streams(), sender.offsets(), sender.sent(), answers, input);
    }

    /**
     * The same for streams of the sample clip sent by hand: stream k shows the sample from frame offsets[k]
     * (see {@link Clips#sampleJpeg}) with the LabelInit {@link Clips#sampleInit} at seq 0.
     */
    public static List<String> differences(
            List<String> streams, int[] offsets, Map<String, List<Long>> sent, Answers answers, InputSize input)
            throws Exception {
        List<String> out = new ArrayList<>();
        try (ModelArtifact random = ModelArtifact.createRandom(0, PaddingMode.REFLECT);
                Encoder encoder = random.encoder()) {
            for (int k = 0; k < streams.size(); k++) {
                String s = streams.get(k);
                List<Frame> frames = new ArrayList<>();
                for (long seq : sent.get(s)) {
                    frames.add(Frame.newBuilder()
                            .setStreamId(s)
                            .setSeq(seq)
                            .setEncoding(Encoding.JPEG)
                            .setData(com.google.protobuf.ByteString.copyFrom(Clips.sampleJpeg(offsets[k] + (int) seq)))
                            .build());
                }
                Map<Long, Object> expected =
                        Offline.propagate(encoder, Clips.sampleInit(s, 0, offsets[k]), frames, input);
                for (var e : answers.first(s).entrySet()) {
                    FrameLabels l = e.getValue();
                    String d = Offline.difference(l, expected.get(e.getKey()));
                    if (d != null) {
                        out.add(s + ": " + d);
                    }
                }
            }
        }
        return out;
    }
}
