package dev.cycletrack.core.propagation;

import java.util.List;

/**
 * Keeps the k highest affinities seen for one target node, then turns them into a label: softmax of
 * the kept logits (affinity / tau) and the weighted sum of the labels they point to (SPEC 2, steps
 * 3-4). Reused node after node, so it allocates nothing per node.
 */
final class TopK {

    /** Context index of the long-term frame 0 entry in {@link #source}. */
    static final int LONG_TERM = -1;

    private final int k;
    private final float[] score;
    private final int[] source;
    private final int[] node;
    private int count;
    private int minIndex;
    private float min;
    private final double[] weight;
    private double[] acc = new double[0];

    TopK(int k) {
        this.k = k;
        this.score = new float[k];
        this.source = new int[k];
        this.node = new int[k];
        this.weight = new double[k];
    }

    void reset() {
        count = 0;
        min = Float.NEGATIVE_INFINITY;
        minIndex = 0;
    }

    /** Stores the kept candidates at slot {@code at} of flat arrays sized k per node. */
    void saveTo(float[] scores, int[] sources, int[] nodes, int[] counts, int at) {
        System.arraycopy(score, 0, scores, at * k, count);
        System.arraycopy(source, 0, sources, at * k, count);
        System.arraycopy(node, 0, nodes, at * k, count);
        counts[at] = count;
    }

    /** Restores what {@link #saveTo} stored, to continue offering candidates. */
    void loadFrom(float[] scores, int[] sources, int[] nodes, int[] counts, int at) {
        count = counts[at];
        System.arraycopy(scores, at * k, score, 0, count);
        System.arraycopy(sources, at * k, source, 0, count);
        System.arraycopy(nodes, at * k, node, 0, count);
        if (count == k) {
            findMin();
        } else {
            min = Float.NEGATIVE_INFINITY;
        }
    }

    /** Current admission threshold: a candidate must beat it (when full) to enter. */
    float threshold() {
        return count < k ? Float.NEGATIVE_INFINITY : min;
    }

    void offer(float s, int src, int n) {
        if (count < k) {
            score[count] = s;
            source[count] = src;
            node[count] = n;
            count++;
            if (count == k) {
                findMin();
            }
        } else if (s > min) {
            score[minIndex] = s;
            source[minIndex] = src;
            node[minIndex] = n;
            findMin();
        }
    }

    private void findMin() {
        int mi = 0;
        float m = score[0];
        for (int i = 1; i < k; i++) {
            if (score[i] < m) {
                m = score[i];
                mi = i;
            }
        }
        min = m;
        minIndex = mi;
    }

    /**
     * Writes the softmax-weighted label of the kept candidates into {@code out[outOffset ..
     * outOffset + channels)}. Logits are affinity / tau in float, as the reference computes them.
     */
    void writeLabel(float temperature, ContextFrame longTerm, List<ContextFrame> recent, float[] out, int outOffset) {
        int channels = longTerm.labels().channels();
        float maxLogit = Float.NEGATIVE_INFINITY;
        double[] w = weight;
        if (acc.length != channels) {
            acc = new double[channels];
        }
        java.util.Arrays.fill(acc, 0);
        for (int i = 0; i < count; i++) {
            maxLogit = Math.max(maxLogit, score[i] / temperature);
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            w[i] = Math.exp((double) (score[i] / temperature) - maxLogit);
            sum += w[i];
        }
        for (int i = 0; i < count; i++) {
            ContextFrame frame = source[i] == LONG_TERM ? longTerm : recent.get(source[i]);
            float[] labels = frame.labels().data();
            int base = node[i] * channels;
            double wi = w[i] / sum;
            for (int c = 0; c < channels; c++) {
                acc[c] += wi * labels[base + c];
            }
        }
        for (int c = 0; c < channels; c++) {
            out[outOffset + c] = (float) acc[c];
        }
    }
}
