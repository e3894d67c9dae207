package dev.cycletrack.core.tracking;

import dev.cycletrack.core.propagation.InputSize;
import dev.cycletrack.core.propagation.Preset;
import dev.cycletrack.core.propagation.PropagationParams;

/** A preset with every value overridable: the input resize and the propagation parameters. */
public record PropagationSettings(InputSize inputSize, PropagationParams params) {

    public static PropagationSettings of(Preset preset) {
        return new PropagationSettings(preset.inputSize(), preset.params());
    }

    public PropagationSettings withInputSize(InputSize size) {
        return new PropagationSettings(size, params);
    }

    public PropagationSettings withParams(PropagationParams p) {
        return new PropagationSettings(inputSize, p);
    }

    @Override
    public String toString() {
        return "input " + inputSize + ", " + params;
    }
}
