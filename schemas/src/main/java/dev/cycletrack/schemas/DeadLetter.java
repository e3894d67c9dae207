package dev.cycletrack.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers of a dead-letter record. The record's key and value are the rejected record's bytes as
 * they arrived; the headers say why ({@link #REASON}, one of the reason ids below, and
 * {@link #DETAIL}, a sentence naming the problem) and where it came from.
 */
public final class DeadLetter {

    public static final String REASON = "ct-dlq-reason";
    public static final String DETAIL = "ct-dlq-detail";
    public static final String SOURCE_TOPIC = "ct-dlq-topic";
    public static final String SOURCE_PARTITION = "ct-dlq-partition";
    public static final String SOURCE_OFFSET = "ct-dlq-offset";
    public static final String STREAM = "ct-dlq-stream";
    public static final String SEQ = "ct-dlq-seq";

    private DeadLetter() {}

    /** A header's value as UTF-8, or null when absent. */
    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
