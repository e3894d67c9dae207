package dev.cycletrack.core.propagation;

import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The per-video state of label propagation: frame 0 with its labels, kept for the whole video, and a
 * ring of the last m frames with their predicted soft labels. {@link #step} labels the next frame and
 * moves it into the ring.
 *
 * <p>As in the reference, the ring starts as m copies of frame 0, so early frames see several copies
 * of frame 0 that take separate top-k slots (SPEC 2, "padded memory"). Not thread-safe: one context
 * per video, stepped by one thread at a time.
 */
public final class PropagationContext {

    private final PropagationParams params;
    private final Propagator propagator;
    private final ContextFrame first;
    private final ArrayDeque<ContextFrame> recent;
    private long framesSeen;

    private PropagationContext(
            PropagationParams params, Propagator propagator, ContextFrame first, List<ContextFrame> recent, long seen) {
        this.params = params;
        this.propagator = propagator;
        this.first = first;
        this.recent = new ArrayDeque<>(recent);
        this.framesSeen = seen;
    }

    /** Starts a context from frame 0's features and labels, with the windowed propagator. */
    public static PropagationContext start(PropagationParams params, FeatureMap features0, LabelMap labels0) {
        return start(params, Propagator.windowed(), features0, labels0);
    }

    public static PropagationContext start(
            PropagationParams params, Propagator propagator, FeatureMap features0, LabelMap labels0) {
        return restore(params, propagator, features0, labels0, List.of(), List.of(), 1);
    }

    /**
     * Rebuilds a context from saved state: frame 0, the most recent frames (oldest first, at most m)
     * with their labels, and how many frames the video has had so far (frame 0 included). Missing
     * recent entries are filled with frame 0, exactly as a context that saw fewer than m frames.
     */
    public static PropagationContext restore(
            PropagationParams params,
            Propagator propagator,
            FeatureMap features0,
            LabelMap labels0,
            List<FeatureMap> recentFeatures,
            List<LabelMap> recentLabels,
            long framesSeen) {
        Objects.requireNonNull(params, "params");
        checkSameGrid(features0, labels0, "frame 0");
        if (recentFeatures.size() != recentLabels.size()) {
            throw new IllegalArgumentException("recent features (" + recentFeatures.size() + ") and labels ("
                    + recentLabels.size() + ") differ in number");
        }
        if (recentFeatures.size() > params.contextLength()) {
            throw new IllegalArgumentException("restoring " + recentFeatures.size()
                    + " recent frames into a context of m=" + params.contextLength());
        }
        ContextFrame first = ContextFrame.of(features0, labels0);
        List<ContextFrame> ring = new ArrayList<>();
        for (int i = recentFeatures.size(); i < params.contextLength(); i++) {
            ring.add(first);
        }
        for (int i = 0; i < recentFeatures.size(); i++) {
            checkSameGrid(recentFeatures.get(i), recentLabels.get(i), "recent frame " + i);
            checkCompatible(features0, recentFeatures.get(i), "recent frame " + i);
            ring.add(ContextFrame.of(recentFeatures.get(i), recentLabels.get(i)));
        }
        return new PropagationContext(params, propagator, first, ring, framesSeen);
    }

    /** Labels the next frame from its features, then adds it to the context. */
    public LabelMap step(FeatureMap features) {
        checkCompatible(first, features);
        FloatBuffer target = ContextFrame.toDirect(features);
        List<ContextFrame> ordered = List.copyOf(recent);
        float[] labels = propagator.propagate(first, ordered, target, params);
        LabelMap result =
                new LabelMap(features.height(), features.width(), first.labels().channels(), labels);
        if (params.contextLength() > 0) {
            recent.pollFirst();
            recent.addLast(new ContextFrame(features.height(), features.width(), features.channels(), target, result));
        }
        framesSeen++;
        return result;
    }

    public PropagationParams params() {
        return params;
    }

    /** Frames of the video so far, frame 0 included. */
    public long framesSeen() {
        return framesSeen;
    }

    public LabelMap firstLabels() {
        return first.labels();
    }

    /** Labels of the real recent frames (not the frame-0 padding), oldest first. */
    public List<LabelMap> recentLabels() {
        int real = (int) Math.min(params.contextLength(), framesSeen - 1);
        List<ContextFrame> all = List.copyOf(recent);
        List<LabelMap> out = new ArrayList<>();
        for (int i = all.size() - real; i < all.size(); i++) {
            out.add(all.get(i).labels());
        }
        return out;
    }

    /** Bytes held by features (with the kernels' heap copies) and labels, frame 0 counted once. */
    public long byteSize() {
        long bytes = first.byteSize();
        for (ContextFrame f : recent) {
            if (f != first) {
                bytes += f.byteSize();
            }
        }
        return bytes;
    }

    private static void checkSameGrid(FeatureMap f, LabelMap l, String what) {
        if (f.height() != l.height() || f.width() != l.width()) {
            throw new IllegalArgumentException(what + ": labels are " + l.height() + "x" + l.width()
                    + " but features are " + f.height() + "x" + f.width());
        }
    }

    private static void checkCompatible(FeatureMap expected, FeatureMap actual, String what) {
        if (expected.height() != actual.height()
                || expected.width() != actual.width()
                || expected.channels() != actual.channels()) {
            throw new IllegalArgumentException(
                    what + ": features are " + describe(actual) + " but the context holds " + describe(expected));
        }
    }

    private static void checkCompatible(ContextFrame first, FeatureMap actual) {
        if (first.height() != actual.height()
                || first.width() != actual.width()
                || first.channels() != actual.channels()) {
            throw new IllegalArgumentException("frame features are " + describe(actual) + " but the context holds "
                    + first.height() + "x" + first.width() + "x" + first.channels());
        }
    }

    private static String describe(FeatureMap f) {
        return f.height() + "x" + f.width() + "x" + f.channels();
    }
}
