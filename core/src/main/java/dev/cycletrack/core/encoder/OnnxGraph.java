package dev.cycletrack.core.encoder;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a minimal ONNX model (a single graph of float tensors, opset 13) in the protobuf wire
 * format, so that OpenCV's DNN module can import a trunk built here. There is no ONNX library for
 * Java on this machine; the few messages needed are written field by field, with the field numbers
 * of onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
 */
final class OnnxGraph {

    private static final int OPSET = 13;
    private static final int IR_VERSION = 8;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTRIBUTE_STRING = 3;
    private static final int ATTRIBUTE_INTS = 7;

    /** One protobuf message under construction. */
    private static final class Message {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        Message string(int field, String value) {
            return write(() -> out.writeString(field, value));
        }

        Message int64(int field, long value) {
            return write(() -> out.writeInt64(field, value));
        }

        Message bytes(int field, byte[] value) {
            return write(() -> out.writeByteArray(field, value));
        }

        Message message(int field, Message value) {
            return bytes(field, value.toByteArray());
        }

        byte[] toByteArray() {
            write(out::flush);
            return bytes.toByteArray();
        }

        private interface Write {
            void run() throws IOException;
        }

        private Message write(Write write) {
            try {
                write.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
            }
            return this;
        }
    }

    /** A node attribute. */
    static final class Attribute {
        private final Message message;

        private Attribute(Message message) {
            this.message = message;
        }

        static Attribute ints(String name, long... values) {
            Message m = new Message().string(1, name);
            for (long v : values) {
                m.int64(8, v);
            }
            return new Attribute(m.int64(20, ATTRIBUTE_INTS));
        }

        static Attribute string(String name, String value) {
            return new Attribute(new Message()
                    .string(1, name)
                    .bytes(4, value.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .int64(20, ATTRIBUTE_STRING));
        }
    }

    private final Message graph = new Message();

    /** A float initializer (a constant tensor: weights, biases). */
    OnnxGraph floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(name, dims, FLOAT, raw.array());
    }

    /** A 1-D int64 initializer (e.g. the pads input of Pad). */
    OnnxGraph longTensor(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return initializer(name, new long[] {values.length}, INT64, raw.array());
    }

    private OnnxGraph initializer(String name, long[] dims, int type, byte[] raw) {
        Message t = new Message();
        for (long d : dims) {
            t.int64(1, d);
        }
        graph.message(5, t.int64(2, type).string(8, name).bytes(9, raw));
        return this;
    }

    /** A node {@code op(inputs) -> output}. */
    OnnxGraph node(String op, String[] inputs, String output, Attribute... attributes) {
        Message n = new Message();
        for (String input : inputs) {
            n.string(1, input);
        }
        n.string(2, output).string(3, output).string(4, op);
        for (Attribute a : attributes) {
            n.message(5, a.message);
        }
        graph.message(1, n);
        return this;
    }

    /** The model: this graph with one float input and one float output of the given shapes. */
    byte[] toModel(String name, String input, long[] inputShape, String output, long[] outputShape) {
        graph.string(2, name).message(11, valueInfo(input, inputShape)).message(12, valueInfo(output, outputShape));
        return new Message()
                .int64(1, IR_VERSION)
                .string(2, "cycletrack")
                .message(8, new Message().string(1, "").int64(2, OPSET))
                .message(7, graph)
                .toByteArray();
    }

    private static Message valueInfo(String name, long[] dims) {
        Message shape = new Message();
        for (long d : dims) {
            shape.message(1, new Message().int64(1, d));
        }
        Message tensorType = new Message().int64(1, FLOAT).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType));
    }
}
