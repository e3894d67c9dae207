package dev.cycletrack.core.encoder;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dotted, PyTorch-style parameter paths of a block tree ({@code layer2.0.downsample.0.weight}), in
 * the order DJL saves them. DJL's own {@code getParameters()} joins with underscores, which is
 * ambiguous next to names such as {@code running_mean}.
 */
public final class ParameterNames {

    private ParameterNames() {}

    public static Map<String, Parameter> of(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + p.getKey(), p.getValue());
        }
        for (Pair<String, Block> child : block.getChildren()) {
            walk(child.getValue(), prefix + child.getKey() + ".", out);
        }
    }

    /** Number of trained values (weights, biases, BN gamma/beta; not BN running statistics). */
    public static long trainableCount(Map<String, Parameter> params) {
        long n = 0;
        for (Parameter p : params.values()) {
            if (p.requiresGradient()) {
                n += p.getShape().size();
            }
        }
        return n;
    }
}
