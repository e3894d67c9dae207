package dev.cycletrack.schemas;

import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.ModelVersion;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Cycletrack's topics, all named {@code <prefix><name>}:
 *
 * <pre>
 * frames        key stream id (String)  value Frame         the live frames of every stream
 * label-init    key stream id (String)  value LabelInit     first-frame labels; (re)starts a stream
 * labels        key FrameKey            value FrameLabels   the tracker's output, one per frame
 * models        key model name (String) value ModelVersion  model versions to hot-swap (compacted)
 * dead-letter   key/value: the bytes of the rejected record, the reason in headers (see DeadLetter)
 * </pre>
 *
 * The prefix (default {@value #DEFAULT_PREFIX}) lets several deployments share one cluster.
 * {@code frames} and {@code label-init} must have the same number of partitions (they are joined per
 * stream).
 */
public final class TopicRegistry {

    public static final String DEFAULT_PREFIX = "cycletrack.";
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");

    private final String prefix;
    private final Topic<String, Frame> frames;
    private final Topic<String, LabelInit> labelInit;
    private final Topic<FrameKey, FrameLabels> labels;
    private final Topic<String, ModelVersion> models;
    private final Topic<byte[], byte[]> deadLetter;

    public TopicRegistry(String prefix) {
        if (prefix == null || !LEGAL.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "topic prefix '" + prefix + "' may hold only letters, digits, '.', '_' and '-'");
        }
        this.prefix = prefix;
        frames = new Topic<>(prefix + "frames", Serdes.String(), CycletrackSerdes.frame(), "live frames");
        labelInit =
                new Topic<>(prefix + "label-init", Serdes.String(), CycletrackSerdes.labelInit(), "first-frame labels");
        labels = new Topic<>(
                prefix + "labels", CycletrackSerdes.frameKey(), CycletrackSerdes.frameLabels(), "labels per frame");
        models = new Topic<>(
                prefix + "models", Serdes.String(), CycletrackSerdes.modelVersion(), "model versions to hot-swap");
        deadLetter = new Topic<>(
                prefix + "dead-letter", Serdes.ByteArray(), Serdes.ByteArray(), "rejected input, reason in headers");
    }

    public static TopicRegistry defaults() {
        return new TopicRegistry(DEFAULT_PREFIX);
    }

    public String prefix() {
        return prefix;
    }

    public Topic<String, Frame> frames() {
        return frames;
    }

    public Topic<String, LabelInit> labelInit() {
        return labelInit;
    }

    public Topic<FrameKey, FrameLabels> labels() {
        return labels;
    }

    public Topic<String, ModelVersion> models() {
        return models;
    }

    public Topic<byte[], byte[]> deadLetter() {
        return deadLetter;
    }

    public List<Topic<?, ?>> all() {
        return List.of(frames, labelInit, labels, models, deadLetter);
    }
}
