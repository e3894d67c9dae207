package dev.cycletrack.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.cycletrack.schemas.v1.Encoding;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.ModelVersion;
import dev.cycletrack.schemas.v1.OutKeypoint;
import dev.cycletrack.schemas.v1.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerdesTest {

    @Test
    void everyMessageRoundTripsWithItsSchemaHeader() {
        TopicRegistry topics = new TopicRegistry("t1.");
        Frame frame = Frame.newBuilder()
                .setStreamId("cam-1")
                .setSeq(7)
                .setCaptureTimeUs(123)
                .setWidth(2)
                .setHeight(1)
                .setEncoding(Encoding.RAW_RGB)
                .setData(ByteString.copyFrom(new byte[6]))
                .build();
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = topics.frames().valueSerde().serializer().serialize("t1.frames", headers, frame);
        assertEquals("cycletrack.v1.Frame", DeadLetter.header(headers, ProtoSerde.SCHEMA_HEADER));
        assertEquals(frame, topics.frames().valueSerde().deserializer().deserialize("t1.frames", headers, bytes));

        LabelInit init = LabelInit.newBuilder()
                .setStreamId("cam-1")
                .setTask(Task.KEYPOINTS)
                .addKeypoints(InitKeypoint.newBuilder()
                        .setId(0)
                        .setName("neck")
                        .setX(1)
                        .setY(2)
                        .setVisible(true))
                .build();
        assertEquals(init, roundTrip(CycletrackSerdes.labelInit(), init));
        FrameLabels labels = FrameLabels.newBuilder()
                .setStreamId("cam-1")
                .setSeq(3)
                .setModelVersion("v2")
                .addKeypoints(OutKeypoint.newBuilder().setX(1).setY(2).setConfidence(0.5f))
                .build();
        assertEquals(labels, roundTrip(CycletrackSerdes.frameLabels(), labels));
        ModelVersion mv = ModelVersion.newBuilder()
                .setName("m")
                .setVersion("3")
                .putMetrics("pck", 0.5)
                .build();
        assertEquals(mv, roundTrip(CycletrackSerdes.modelVersion(), mv));
        FrameKey key = FrameKey.newBuilder().setStreamId("a").setSeq(9).build();
        assertEquals(key, roundTrip(CycletrackSerdes.frameKey(), key));
        assertEquals("t1.labels", topics.labels().name());
        assertEquals("t1.dead-letter", topics.deadLetter().name());
    }

    @Test
    void garbageAndWrongSchemaAreRefusedNamingTopicAndType() {
        ProtoSerde<Frame> serde = CycletrackSerdes.frame();
        SerializationException e = assertThrows(
                SerializationException.class,
                () -> serde.deserializer().deserialize("x.frames", new byte[] {(byte) 0xff, 1, 2}));
        assertTrue(
                e.getMessage().contains("x.frames") && e.getMessage().contains("cycletrack.v1.Frame"), e::getMessage);
        RecordHeaders headers = new RecordHeaders();
        headers.add(ProtoSerde.SCHEMA_HEADER, "cycletrack.v1.LabelInit".getBytes(StandardCharsets.UTF_8));
        SerializationException wrong = assertThrows(
                SerializationException.class, () -> serde.deserializer().deserialize("x.frames", headers, new byte[0]));
        assertTrue(wrong.getMessage().contains("LabelInit"), wrong::getMessage);
    }

    @Test
    void prefixIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new TopicRegistry("a b"));
    }

    @Test
    void digestIsTheChecksumFilesSha256(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("checksums.sha256"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ModelArtifactDigest.of(dir));
    }

    private static <T extends com.google.protobuf.Message> T roundTrip(ProtoSerde<T> serde, T value) {
        byte[] b = serde.serializer().serialize("t", value);
        return serde.deserializer().deserialize("t", b);
    }
}
