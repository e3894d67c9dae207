package dev.cycletrack.stream.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.core.tensor.LabelMap;
import dev.cycletrack.core.tracking.PropagationSettings;
import dev.cycletrack.schemas.v1.Encoding;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.PropagationOverrides;
import dev.cycletrack.schemas.v1.Task;
import dev.cycletrack.stream.config.TrackerConfig;
import dev.cycletrack.stream.state.StateCodec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The processor's parts on their own: settings, checks, stored labels, mask PNGs, config. */
class ProcessorPartsTest {

    static LabelInit.Builder keypoints() {
        return LabelInit.newBuilder()
                .setStreamId("s")
                .setSeq(4)
                .setTask(Task.KEYPOINTS)
                .addKeypoints(
                        InitKeypoint.newBuilder().setId(7).setX(10).setY(20).setVisible(true));
    }

    @Test
    void settingsComeFromPresetTrackerOverrideAndRecordOverrides() {
        PropagationSettings pose = StreamSetup.settings(keypoints().build(), null);
        assertEquals(new InputSize.Square(320), pose.inputSize());
        assertEquals(7, pose.params().contextLength());
        PropagationSettings tracker = StreamSetup.settings(keypoints().build(), new InputSize.Square(128));
        assertEquals(new InputSize.Square(128), tracker.inputSize());
        LabelInit o = keypoints()
                .setOverrides(PropagationOverrides.newBuilder()
                        .setInputSize("short:96")
                        .setContext(3)
                        .setTopK(5)
                        .setRadius(4)
                        .setTemperature(0.1))
                .build();
        PropagationSettings s = StreamSetup.settings(o, new InputSize.Square(128));
        assertEquals(new InputSize.ShortSide(96), s.inputSize());
        assertEquals(3, s.params().contextLength());
        assertEquals(5, s.params().topK());
        assertEquals(4.0, s.params().radius());
        assertEquals(0.1, s.params().temperature());
        LabelInit mask = LabelInit.newBuilder().setTask(Task.MASK).build();
        assertEquals(20, StreamSetup.settings(mask, null).params().contextLength(), "masks default to vos");
    }

    @Test
    void invalidLabelInitsNameTheirReason() {
        assertReason(InvalidReason.UNKNOWN_TASK, keypoints().setTask(Task.TASK_UNSPECIFIED));
        assertReason(InvalidReason.INVALID_SETTINGS, keypoints().setPreset("fast"));
        assertReason(
                InvalidReason.INVALID_SETTINGS,
                keypoints().setOverrides(PropagationOverrides.newBuilder().setTopK(-1)));
        assertReason(InvalidReason.INVALID_KEYPOINTS, keypoints().clearKeypoints());
        assertReason(
                InvalidReason.INVALID_KEYPOINTS,
                keypoints().addKeypoints(InitKeypoint.newBuilder().setX(Float.POSITIVE_INFINITY)));
        assertReason(
                InvalidReason.KEYPOINT_OUTSIDE_IMAGE, keypoints().setWidth(10).setHeight(30));
        // An invisible keypoint may be anywhere.
        StreamSetup.validate(
                keypoints()
                        .setWidth(20)
                        .setHeight(30)
                        .addKeypoints(InitKeypoint.newBuilder().setX(-50).setY(-50))
                        .build(),
                null);
        assertReason(InvalidReason.INVALID_MASK, LabelInit.newBuilder().setTask(Task.MASK));
    }

    private static void assertReason(InvalidReason reason, LabelInit.Builder init) {
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> StreamSetup.validate(init.build(), null));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("LabelInit of stream"), e.getMessage());
    }

    @Test
    void framesAreDecodedWithChecks() {
        byte[] raw = new byte[4 * 2 * 3];
        assertEquals(4, FrameImages.decode("s", 1, Encoding.RAW_RGB, 4, 2, raw).width());
        InvalidInputException shortRaw = assertThrows(
                InvalidInputException.class, () -> FrameImages.decode("s", 1, Encoding.RAW_RGB, 4, 3, raw));
        assertEquals(InvalidReason.UNDECODABLE_IMAGE, shortRaw.reason());
        InvalidInputException notPng =
                assertThrows(InvalidInputException.class, () -> FrameImages.decode("s", 2, Encoding.PNG, 4, 2, raw));
        assertEquals(InvalidReason.UNDECODABLE_IMAGE, notPng.reason());
        assertTrue(notPng.getMessage().contains("frame 2 of stream s"), notPng.getMessage());
    }

    @Test
    void storedSoftLabelsAreBitForBit() {
        float[] d = {0f, -0f, 1e-30f, Float.MIN_VALUE, 0.333333f, 1f, 7.5f, Float.MAX_VALUE};
        LabelMap m = new LabelMap(2, 2, 2, d);
        LabelMap back = StateCodec.fromProto(StateCodec.toProto(m));
        assertArrayEquals(d, back.data());
        assertEquals("cam/00000000000000000042", StateCodec.frameKey("cam", 42));
    }

    @Test
    void maskPngsRoundTrip() throws Exception {
        int[] ids = new int[6 * 4];
        ids[5] = 1;
        ids[17] = 200;
        IdMap back = MaskPng.decode(MaskPng.encode(new IdMap(6, 4, ids)));
        assertArrayEquals(ids, back.ids());
        assertThrows(
                java.io.IOException.class,
                () -> MaskPng.decode(ByteString.copyFromUtf8("x").toByteArray()));
    }

    @Test
    void configReadsItsKeys() {
        TrackerConfig c = TrackerConfig.fromMap(Map.of(
                "cycletrack.topic.prefix", "p.",
                "cycletrack.max.frame.age.ms", "250",
                "cycletrack.catch.up", "true",
                "cycletrack.input.size", "square:96"));
        assertEquals("p.frames", c.topics().frames().name());
        assertEquals(Duration.ofMillis(250), c.maxFrameAge());
        assertTrue(c.catchUp());
        assertEquals(new InputSize.Square(96), c.inputSizeOverride());
        assertEquals(c, TrackerConfig.fromMap(c.toMap()));
        assertThrows(IllegalArgumentException.class, () -> TrackerConfig.fromMap(Map.of("cycletrack.batch.size", "x")));
    }

    @Test
    void defaultEncoderWorkersAreOnePerCoreOnTheCpuAndOneOnAGpu() {
        TrackerConfig auto = TrackerConfig.defaults().withEncoderWorkers(0);
        assertEquals(Runtime.getRuntime().availableProcessors(), auto.effectiveEncoderWorkers(false));
        assertEquals(1, auto.effectiveEncoderWorkers(true), "one worker gathers the GPU's batches");
        TrackerConfig three = TrackerConfig.defaults().withEncoderWorkers(3);
        assertEquals(3, three.effectiveEncoderWorkers(false));
        assertEquals(3, three.effectiveEncoderWorkers(true), "a configured count is kept");
    }
}
