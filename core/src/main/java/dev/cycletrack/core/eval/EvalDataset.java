package dev.cycletrack.core.eval;

import dev.cycletrack.core.propagation.Preset;
import java.util.Locale;

/**
 * The datasets {@code eval} knows, their folder under {@code --root} and their default preset. BADJA
 * frames are DAVIS 480p frames: its keypoints are tracked at native resolution with the VOS geometry
 * (60x107 grid), which scores 5 points of PCK@0.1 above the 320x320 pose grid (docs/results.md).
 */
public enum EvalDataset {
    DAVIS2016("davis2016", Preset.VOS),
    BADJA("badja", Preset.VOS),
    JHMDB("jhmdb", Preset.POSE);

    private final String id;
    private final Preset defaultPreset;

    EvalDataset(String id, Preset defaultPreset) {
        this.id = id;
        this.defaultPreset = defaultPreset;
    }

    public String id() {
        return id;
    }

    public Preset defaultPreset() {
        return defaultPreset;
    }

    public boolean isMask() {
        return this == DAVIS2016;
    }

    public static EvalDataset parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (EvalDataset d : values()) {
            if (d.id.equals(t) || (d == DAVIS2016 && t.equals("davis"))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + text + "': expected davis2016, badja or jhmdb");
    }
}
