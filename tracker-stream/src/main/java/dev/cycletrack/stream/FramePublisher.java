package dev.cycletrack.stream;

import com.google.protobuf.ByteString;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.image.RgbImage;
import dev.cycletrack.schemas.TopicRegistry;
import dev.cycletrack.schemas.v1.Encoding;
import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.LabelInit;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serdes;

/** Publishes JPEG frames and LabelInits of streams (what {@code ingest}, {@code demo} and the bench use). */
public final class FramePublisher implements AutoCloseable {

    private final TopicRegistry topics;
    private final Producer<String, Frame> frames;
    private final Producer<String, LabelInit> inits;
    private final int quality;

    public FramePublisher(String bootstrap, TopicRegistry topics, int jpegQuality) {
        this.topics = topics;
        this.quality = jpegQuality;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 << 20);
        frames = new KafkaProducer<>(
                p, Serdes.String().serializer(), topics.frames().valueSerde().serializer());
        inits = new KafkaProducer<>(
                p, Serdes.String().serializer(), topics.labelInit().valueSerde().serializer());
    }

    /** Sends the LabelInit and waits until the broker has it, so it is there before its frame. */
    public void sendInit(LabelInit init) {
        try {
            inits.send(new ProducerRecord<>(topics.labelInit().name(), init.getStreamId(), init))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "cannot publish the LabelInit of stream " + init.getStreamId() + ": " + e.getMessage(), e);
        }
    }

    /** Encodes the image as JPEG and sends it, stamped with the capture time now. */
    public Future<RecordMetadata> sendFrame(String stream, long seq, RgbImage image) {
        return sendFrame(stream, seq, image.width(), image.height(), Images.encodeJpeg(image, quality));
    }

    public Future<RecordMetadata> sendFrame(String stream, long seq, int width, int height, byte[] jpeg) {
        return sendFrame(stream, seq, width, height, Encoding.JPEG, jpeg);
    }

    /** Sends already encoded image bytes, stamped with the capture time now. */
    public Future<RecordMetadata> sendFrame(
            String stream, long seq, int width, int height, Encoding encoding, byte[] jpeg) {
        Frame f = Frame.newBuilder()
                .setStreamId(stream)
                .setSeq(seq)
                .setCaptureTimeUs(nowMicros())
                .setWidth(width)
                .setHeight(height)
                .setEncoding(encoding)
                .setData(ByteString.copyFrom(jpeg))
                .build();
        return frames.send(new ProducerRecord<>(topics.frames().name(), stream, f));
    }

    public static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    public void flush() {
        frames.flush();
        inits.flush();
    }

    @Override
    public void close() {
        frames.close();
        inits.close();
    }
}
