package dev.cycletrack.stream.processor;

import dev.cycletrack.core.codec.Keypoint;
import dev.cycletrack.core.image.IdMap;
import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.core.propagation.Preset;
import dev.cycletrack.core.propagation.PropagationParams;
import dev.cycletrack.core.tracking.PropagationSettings;
import dev.cycletrack.schemas.v1.InitKeypoint;
import dev.cycletrack.schemas.v1.LabelInit;
import dev.cycletrack.schemas.v1.PropagationOverrides;
import dev.cycletrack.schemas.v1.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a LabelInit means: its settings (preset, the tracker's input-size override, then the
 * record's own overrides), its keypoints or mask, and the checks that reject it.
 */
public final class StreamSetup {

    private StreamSetup() {}

    public static Preset preset(LabelInit init) {
        String name = init.getPreset().isBlank() ? (init.getTask() == Task.MASK ? "vos" : "pose") : init.getPreset();
        try {
            return Preset.parse(name);
        } catch (IllegalArgumentException e) {
            throw invalid(InvalidReason.INVALID_SETTINGS, init, e.getMessage());
        }
    }

    /** The propagation settings of a stream. */
    public static PropagationSettings settings(LabelInit init, InputSize trackerOverride) {
        PropagationSettings s = PropagationSettings.of(preset(init));
        if (trackerOverride != null) {
            s = s.withInputSize(trackerOverride);
        }
        if (!init.hasOverrides()) {
            return s;
        }
        PropagationOverrides o = init.getOverrides();
        try {
            if (!o.getInputSize().isBlank()) {
                s = s.withInputSize(InputSize.parse(o.getInputSize()));
            }
            PropagationParams p = s.params();
            if (o.getContext() != 0) {
                p = p.withContextLength(o.getContext());
            }
            if (o.getRadius() != 0) {
                p = p.withRadius(o.getRadius());
            }
            if (o.getTopK() != 0) {
                p = p.withTopK(o.getTopK());
            }
            if (o.getTemperature() != 0) {
                p = p.withTemperature(o.getTemperature());
            }
            return s.withParams(p);
        } catch (IllegalArgumentException e) {
            throw invalid(InvalidReason.INVALID_SETTINGS, init, "overrides: " + e.getMessage());
        }
    }

    /**
     * Checks a LabelInit on arrival: task, settings, keypoints (finite; inside the image when its size
     * is given) or mask (decodable, non-empty, the given size).
     */
    public static void validate(LabelInit init, InputSize trackerOverride) {
        if (init.getTask() != Task.KEYPOINTS && init.getTask() != Task.MASK) {
            throw invalid(
                    InvalidReason.UNKNOWN_TASK,
                    init,
                    "task is " + init.getTask() + " (" + init.getTaskValue() + "); expected KEYPOINTS or MASK");
        }
        settings(init, trackerOverride);
        if (init.getTask() == Task.KEYPOINTS) {
            if (init.getKeypointsCount() == 0) {
                throw invalid(InvalidReason.INVALID_KEYPOINTS, init, "a KEYPOINTS LabelInit has no keypoints");
            }
            for (InitKeypoint k : init.getKeypointsList()) {
                if (!Double.isFinite(k.getX()) || !Double.isFinite(k.getY())) {
                    throw invalid(
                            InvalidReason.INVALID_KEYPOINTS,
                            init,
                            "keypoint " + k.getId() + " (" + k.getName() + ") is at (" + k.getX() + ", " + k.getY()
                                    + "): not a finite position");
                }
            }
            if (init.getWidth() > 0 && init.getHeight() > 0) {
                checkInside(init, init.getWidth(), init.getHeight());
            }
        } else {
            IdMap mask = mask(init);
            if (init.getWidth() > 0
                    && init.getHeight() > 0
                    && (mask.width() != init.getWidth() || mask.height() != init.getHeight())) {
                throw invalid(
                        InvalidReason.MASK_SIZE_MISMATCH,
                        init,
                        "mask is " + mask.width() + "x" + mask.height() + " but the LabelInit says the frame is "
                                + init.getWidth() + "x" + init.getHeight());
            }
        }
    }

    /** Visible keypoints must lie in [0, width) x [0, height). */
    public static void checkInside(LabelInit init, int width, int height) {
        for (InitKeypoint k : init.getKeypointsList()) {
            if (k.getVisible() && (k.getX() < 0 || k.getY() < 0 || k.getX() >= width || k.getY() >= height)) {
                throw invalid(
                        InvalidReason.KEYPOINT_OUTSIDE_IMAGE,
                        init,
                        "keypoint " + k.getId() + " (" + k.getName() + ") at (" + k.getX() + ", " + k.getY()
                                + ") is outside the " + width + "x" + height + " image");
            }
        }
    }

    public static List<Keypoint> keypoints(LabelInit init) {
        List<Keypoint> out = new ArrayList<>(init.getKeypointsCount());
        for (InitKeypoint k : init.getKeypointsList()) {
            out.add(k.getVisible() ? Keypoint.at(k.getX(), k.getY()) : Keypoint.INVISIBLE);
        }
        return out;
    }

    public static IdMap mask(LabelInit init) {
        if (!init.hasMask() || init.getMask().getPng().isEmpty()) {
            throw invalid(InvalidReason.INVALID_MASK, init, "a MASK LabelInit has no mask PNG");
        }
        IdMap mask;
        try {
            mask = MaskPng.decode(init.getMask().getPng().toByteArray());
        } catch (IOException | RuntimeException e) {
            throw invalid(InvalidReason.INVALID_MASK, init, "mask: " + e.getMessage());
        }
        if (mask.nonZeroCount() == 0) {
            throw invalid(InvalidReason.INVALID_MASK, init, "the mask has no object (every pixel is 0)");
        }
        return mask;
    }

    static InvalidInputException invalid(InvalidReason reason, LabelInit init, String detail) {
        return new InvalidInputException(
                reason,
                init.getStreamId(),
                init.getSeq(),
                "LabelInit of stream " + init.getStreamId() + " for frame " + init.getSeq() + ": " + detail);
    }
}
