package dev.cycletrack.stream.state;

import com.google.protobuf.ByteString;
import dev.cycletrack.core.tensor.LabelMap;
import dev.cycletrack.schemas.v1.SoftLabels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Soft label maps to and from their stored form, bit for bit. */
public final class StateCodec {

    private StateCodec() {}

    public static SoftLabels toProto(LabelMap labels) {
        ByteBuffer buf = ByteBuffer.allocate(labels.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(labels.data());
        return SoftLabels.newBuilder()
                .setHeight(labels.height())
                .setWidth(labels.width())
                .setChannels(labels.channels())
                .setFloat32Le(ByteString.copyFrom(buf.array()))
                .build();
    }

    public static LabelMap fromProto(SoftLabels s) {
        float[] data = new float[s.getHeight() * s.getWidth() * s.getChannels()];
        ByteBuffer buf = s.getFloat32Le().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() != data.length * 4) {
            throw new IllegalStateException("stored soft labels of " + s.getHeight() + "x" + s.getWidth() + "x"
                    + s.getChannels() + " hold " + buf.remaining() + " bytes, expected " + data.length * 4);
        }
        buf.asFloatBuffer().get(data);
        return new LabelMap(s.getHeight(), s.getWidth(), s.getChannels(), data);
    }

    /** The frames store key of (stream, seq): sorts by stream, then seq. */
    public static String frameKey(String streamId, long seq) {
        return streamId + "/" + String.format("%020d", seq);
    }
}
