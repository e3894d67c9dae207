package dev.cycletrack.schemas;

import dev.cycletrack.schemas.v1.Frame;
import dev.cycletrack.schemas.v1.FrameKey;
import dev.cycletrack.schemas.v1.FrameLabels;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.ModelVersion;

/** The serdes of the cycletrack.v1 messages. */
public final class CycletrackSerdes {

    private CycletrackSerdes() {}

    public static ProtoSerde<Frame> frame() {
        return new ProtoSerde<>(Frame.getDefaultInstance(), false);
    }

    public static ProtoSerde<LabelInit> labelInit() {
        return new ProtoSerde<>(LabelInit.getDefaultInstance(), false);
    }

    public static ProtoSerde<FrameLabels> frameLabels() {
        return new ProtoSerde<>(FrameLabels.getDefaultInstance(), false);
    }

    public static ProtoSerde<ModelVersion> modelVersion() {
        return new ProtoSerde<>(ModelVersion.getDefaultInstance(), false);
    }

    /** The key of the labels topic. */
    public static ProtoSerde<FrameKey> frameKey() {
        return new ProtoSerde<>(FrameKey.getDefaultInstance(), true);
    }
}
