package dev.cycletrack.trainer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam exactly as {@code torch.optim.Adam} (no amsgrad, weight decay added to the gradient when > 0),
 * with its state (first and second moments, step count) held here so that a checkpoint can save and
 * restore it bit for bit; DJL's own Adam keeps its state private. Gradients are zeroed after each update.
 */
public final class Adam implements AutoCloseable {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final List<Map.Entry<String, Parameter>> params;
    private final NDManager manager;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private long steps;

    public Adam(
            NDManager parent,
            List<Map.Entry<String, Parameter>> params,
            double beta1,
            double beta2,
            double eps,
            double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.params = List.copyOf(params);
        this.manager = parent.newSubManager();
        for (Map.Entry<String, Parameter> e : this.params) {
            NDArray w = e.getValue().getArray();
            means.add(manager.zeros(w.getShape(), w.getDataType()));
            variances.add(manager.zeros(w.getShape(), w.getDataType()));
        }
    }

    /** Updates done so far (PyTorch's per-parameter {@code step}). */
    public long steps() {
        return steps;
    }

    public List<NDArray> means() {
        return means;
    }

    public List<NDArray> variances() {
        return variances;
    }

    public List<Map.Entry<String, Parameter>> parameters() {
        return params;
    }

    /** Restores the step count (moments are restored in place through {@link #means()} / {@link #variances()}). */
    public void restoreSteps(long value) {
        this.steps = value;
    }

    /** One update with learning rate {@code lr}; parameters without a gradient are skipped. */
    public void step(double lr) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        double stepSize = lr / bc1;
        double sqrtBc2 = Math.sqrt(bc2);
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getValue().getArray();
            if (!w.hasGradient()) {
                continue;
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDArray g = w.getGradient();
                g.attach(scratch);
                NDArray grad = g;
                if (weightDecay != 0) {
                    NDArray decay = w.mul((float) weightDecay);
                    decay.attach(scratch);
                    grad = g.add(decay);
                }
                NDArray m = means.get(i);
                NDArray v = variances.get(i);
                m.muli((float) beta1).addi(grad.mul((float) (1 - beta1)));
                v.muli((float) beta2).addi(grad.square().muli((float) (1 - beta2)));
                NDArray denom = v.sqrt();
                denom.attach(scratch);
                denom.divi((float) sqrtBc2).addi((float) eps);
                NDArray update = m.div(denom);
                update.attach(scratch);
                update.muli((float) stepSize);
                w.subi(update);
                JniUtils.zeroGrad((PtNDArray) w);
            }
        }
    }

    /** Zeroes every gradient without updating (e.g. after a skipped, non-finite step). */
    public void zeroGradients() {
        for (Map.Entry<String, Parameter> e : params) {
            NDArray w = e.getValue().getArray();
            if (w.hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) w);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
