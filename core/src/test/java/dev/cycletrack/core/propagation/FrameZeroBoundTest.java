package dev.cycletrack.core.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.cli.ProjectPaths;
import dev.cycletrack.core.datasets.JhmdbClip;
import dev.cycletrack.core.datasets.Samples;
import dev.cycletrack.core.encoder.Encoder;
import dev.cycletrack.core.encoder.ModelArtifact;
import dev.cycletrack.core.image.FrameStream;
import dev.cycletrack.core.image.Images;
import dev.cycletrack.core.tensor.FeatureMap;
import dev.cycletrack.core.tensor.LabelMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Frame-0 pruning by the subspace bound must never change a label: the pruned propagator equals the
 * unpruned windowed path and the dense reference, while computing only a small share of frame 0's
 * affinities on features with a dominant subspace (as real ones have).
 */
class FrameZeroBoundTest {

    /** Features of rank {@code rank} plus a little noise, drifting smoothly from frame to frame. */
    private static List<FeatureMap> lowRankVideo(int frames, int h, int w, int c, int rank, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] directions = new float[rank][c];
        for (float[] d : directions) {
            for (int x = 0; x < c; x++) {
                d[x] = (float) rnd.nextGaussian();
            }
        }
        float[] phase = new float[rank];
        for (int r = 0; r < rank; r++) {
            phase[r] = (float) (rnd.nextDouble() * 2 * Math.PI);
        }
        List<FeatureMap> out = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            FeatureMap f = FeatureMap.zeros(h, w, c);
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int r = 0; r < rank; r++) {
                        // Smooth spatial patterns of a few frequencies, moving by half a cell per frame.
                        float a = (float) Math.sin(phase[r] + (r % 5 + 1) * 0.3 * (j - 0.5 * t) + (r / 5) * 0.4 * i);
                        for (int x = 0; x < c; x++) {
                            f.data()[(i * w + j) * c + x] += a * directions[r][x];
                        }
                    }
                    for (int x = 0; x < c; x++) {
                        f.data()[(i * w + j) * c + x] += 0.05f * (float) rnd.nextGaussian();
                    }
                }
            }
            out.add(f.l2NormaliseInPlace());
        }
        return out;
    }

    private static LabelMap stripes(int h, int w, int channels) {
        LabelMap labels = LabelMap.zeros(h, w, channels);
        for (int n = 0; n < h * w; n++) {
            labels.data()[n * channels + (n % w) * channels / w] = 1f;
        }
        return labels;
    }

    private static double maxDifference(LabelMap a, LabelMap b) {
        double worst = 0;
        for (int i = 0; i < a.data().length; i++) {
            worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]));
        }
        return worst;
    }

    private static double shareDiffering(LabelMap a, LabelMap b) {
        int differing = 0;
        for (int i = 0; i < a.data().length; i++) {
            if (Math.abs(a.data()[i] - b.data()[i]) > 1e-5) {
                differing++;
            }
        }
        return differing / (double) a.data().length;
    }

    @ParameterizedTest(name = "{0}x{1} C={2} rank={3} m={4} r={5}")
    @CsvSource({"24,24,64,6,4,4", "30,36,128,12,7,5", "20,28,256,20,3,3.5"})
    void prunedEqualsDenseAndSkipsMostOfFrameZero(int h, int w, int c, int rank, int m, double r) {
        List<FeatureMap> video = lowRankVideo(14, h, w, c, rank, 5L * h + c);
        PropagationParams p = new PropagationParams(m, r, 5, 0.05);
        LabelMap labels0 = stripes(h, w, 4);
        WindowedPropagator pruned = new WindowedPropagator(true);
        PropagationContext fast = PropagationContext.start(p, pruned, video.get(0), labels0);
        PropagationContext plain = PropagationContext.start(p, new WindowedPropagator(false), video.get(0), labels0);
        PropagationContext dense = PropagationContext.start(p, Propagator.dense(), video.get(0), labels0);
        for (int t = 1; t < video.size(); t++) {
            LabelMap a = fast.step(video.get(t));
            assertEquals(0, maxDifference(a, plain.step(video.get(t))), 1e-5, "pruned vs unpruned, frame " + t);
            // Against dense, a node may swap two candidates whose affinities tie within float rounding
            // at the k-th place (both paths do, pruned or not); every other value must agree.
            LabelMap d = dense.step(video.get(t));
            assertTrue(shareDiffering(a, d) < 1e-3, "pruned vs dense, frame " + t + ": " + shareDiffering(a, d));
        }
        WindowedPropagator.FrameZeroStats stats = pruned.stats();
        assertEquals(0, stats.exhaustiveRows.sum(), "no block should need the exhaustive product");
        assertEquals((long) h * w * (video.size() - 1), stats.boundedRows.sum());
        assertTrue(stats.exactShare() < 0.25, "exact share of frame-0 affinities " + stats.exactShare());
    }

    @Test
    void featuresWithoutDominantSubspaceTakeTheExhaustivePath() {
        SplittableRandom rnd = new SplittableRandom(3);
        int h = 12;
        int w = 12;
        int c = 256;
        List<FeatureMap> video = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            FeatureMap f = FeatureMap.zeros(h, w, c);
            for (int i = 0; i < f.data().length; i++) {
                f.data()[i] = (float) rnd.nextGaussian();
            }
            video.add(f.l2NormaliseInPlace());
        }
        PropagationParams p = new PropagationParams(2, 3, 5, 0.05);
        WindowedPropagator pruned = new WindowedPropagator(true);
        PropagationContext fast = PropagationContext.start(p, pruned, video.get(0), stripes(h, w, 3));
        PropagationContext dense = PropagationContext.start(p, Propagator.dense(), video.get(0), stripes(h, w, 3));
        for (int t = 1; t < video.size(); t++) {
            assertEquals(0, maxDifference(fast.step(video.get(t)), dense.step(video.get(t))), 1e-5);
        }
        assertEquals(0, pruned.stats().boundedRows.sum(), "random features have no dominant subspace");
        assertEquals((long) h * w * 3, pruned.stats().exhaustiveRows.sum());
    }

    /** The shipped STFC3 model on the shipped sample clip, at the pose preset (320x320, m=7, r=5). */
    @Test
    void realFeaturesOfTheShippedModelArePrunedExactly() throws Exception {
        Path clip = Samples.jhmdbCatch().orElseThrow(() -> new AssertionError("the shipped J-HMDB sample is missing"));
        Path model = ProjectPaths.model("stfc3").orElseThrow(() -> new AssertionError("models/stfc3 is missing"));
        List<FeatureMap> video = new ArrayList<>();
        try (ModelArtifact artifact = ModelArtifact.load(model);
                Encoder encoder = artifact.encoder();
                FrameStream frames = JhmdbClip.open(clip).frames()) {
            while (frames.hasNext() && video.size() < 12) {
                video.add(encoder.encode(Images.resizeBilinear(frames.next(), 320, 320)));
            }
        }
        PropagationParams p = Preset.POSE.params();
        FeatureMap first = video.get(0);
        LabelMap labels0 = stripes(first.height(), first.width(), 16);
        assertTrue(ContextFrame.of(first, labels0).subspaceBound().energy() > 0.8, "energy in 32 directions");
        WindowedPropagator pruned = new WindowedPropagator(true);
        PropagationContext fast = PropagationContext.start(p, pruned, first, labels0);
        PropagationContext dense = PropagationContext.start(p, Propagator.dense(), first, labels0);
        for (int t = 1; t < video.size(); t++) {
            assertEquals(0, maxDifference(fast.step(video.get(t)), dense.step(video.get(t))), 1e-5, "frame " + t);
        }
        assertTrue(
                pruned.stats().exactShare() < 0.05,
                "exact share " + pruned.stats().exactShare());
    }
}
