package dev.cycletrack.core.propagation;

/**
 * The hyper-parameters of top-k label propagation (SPEC section 2): context length m (recent frames
 * kept besides frame 0), radius r in grid cells (strict, Euclidean; applies to recent frames only),
 * top-k and the softmax temperature tau.
 */
public record PropagationParams(int contextLength, double radius, int topK, double temperature) {

    public PropagationParams {
        if (contextLength < 0) {
            throw new IllegalArgumentException("context length m must be >= 0, got " + contextLength);
        }
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("radius r must be a positive number of grid cells, got " + radius);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature tau must be positive, got " + temperature);
        }
    }

    public PropagationParams withContextLength(int m) {
        return new PropagationParams(m, radius, topK, temperature);
    }

    public PropagationParams withRadius(double r) {
        return new PropagationParams(contextLength, r, topK, temperature);
    }

    public PropagationParams withTopK(int k) {
        return new PropagationParams(contextLength, radius, k, temperature);
    }

    public PropagationParams withTemperature(double tau) {
        return new PropagationParams(contextLength, radius, topK, tau);
    }

    @Override
    public String toString() {
        return "m=" + contextLength + " r=" + radius + " k=" + topK + " tau=" + temperature;
    }
}
