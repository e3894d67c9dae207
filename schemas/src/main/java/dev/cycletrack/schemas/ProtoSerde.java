package dev.cycletrack.schemas;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of one Protobuf message type. Serializing writes the header {@value #SCHEMA_HEADER} =
 * the full message name; deserializing refuses, with a {@link SerializationException} naming the
 * topic and the type, bytes that are not such a message or a header naming another type.
 */
public final class ProtoSerde<T extends Message> implements Serde<T> {

    /** Header naming the message type of a record's value (or key, for key serdes). */
    public static final String SCHEMA_HEADER = "ct-schema";

    private final String typeName;
    private final Parser<T> parser;
    private final boolean isKey;
    private final boolean useHeaders;

    /** A serde for record keys ({@code isKey}, no schema header) or values (with the schema header). */
    public ProtoSerde(T defaultInstance, boolean isKey) {
        this(defaultInstance, isKey, !isKey);
    }

    /**
     * A serde that neither writes nor checks the schema header: for state stores, whose serdes see the
     * headers of whatever record is being processed.
     */
    public static <T extends Message> ProtoSerde<T> withoutHeaders(T defaultInstance) {
        return new ProtoSerde<>(defaultInstance, false, false);
    }

    private ProtoSerde(T defaultInstance, boolean isKey, boolean useHeaders) {
        Objects.requireNonNull(defaultInstance, "defaultInstance");
        this.typeName = defaultInstance.getDescriptorForType().getFullName();
        @SuppressWarnings("unchecked")
        Parser<T> p = (Parser<T>) defaultInstance.getParserForType();
        this.parser = p;
        this.isKey = isKey;
        this.useHeaders = useHeaders;
    }

    /** The full Protobuf name, e.g. {@code cycletrack.v1.Frame}. */
    public String typeName() {
        return typeName;
    }

    @Override
    public Serializer<T> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T data) {
                return data == null ? null : data.toByteArray();
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T data) {
                if (data != null && headers != null && useHeaders) {
                    headers.remove(SCHEMA_HEADER);
                    headers.add(SCHEMA_HEADER, typeName.getBytes(StandardCharsets.UTF_8));
                }
                return serialize(topic, data);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return new Deserializer<>() {
            @Override
            public T deserialize(String topic, byte[] data) {
                return parse(topic, data);
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                if (headers != null && useHeaders) {
                    Header h = headers.lastHeader(SCHEMA_HEADER);
                    if (h != null && h.value() != null) {
                        String declared = new String(h.value(), StandardCharsets.UTF_8);
                        if (!declared.equals(typeName)) {
                            throw new SerializationException("record on topic " + topic + " declares schema " + declared
                                    + " but " + typeName + " was expected");
                        }
                    }
                }
                return parse(topic, data);
            }
        };
    }

    T parse(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException(
                    (isKey ? "key" : "value") + " of a record on topic " + topic + " (" + data.length
                            + " bytes) is not a valid " + typeName + ": " + e.getMessage(),
                    e);
        }
    }
}
