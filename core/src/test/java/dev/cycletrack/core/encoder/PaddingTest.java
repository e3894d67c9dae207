package dev.cycletrack.core.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PaddingTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Source index for a padded index under reflect (no edge repeat) and replicate (clamp). */
    private static final IntBinaryOperator REFLECT = (i, n) -> i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;

    private static final IntBinaryOperator REPLICATE = (i, n) -> Math.max(0, Math.min(n - 1, i));

    private static float[] reference(float[] x, int c, int h, int w, int pad, IntBinaryOperator map) {
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        float[] out = new float[c * ph * pw];
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < ph; i++) {
                for (int j = 0; j < pw; j++) {
                    int si = map.applyAsInt(i - pad, h);
                    int sj = map.applyAsInt(j - pad, w);
                    out[(k * ph + i) * pw + j] = x[(k * h + si) * w + sj];
                }
            }
        }
        return out;
    }

    private static float[] zeroPadded(float[] x, int c, int h, int w, int pad) {
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        float[] out = new float[c * ph * pw];
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, (k * h + i) * w, out, (k * ph + i + pad) * pw + pad, w);
            }
        }
        return out;
    }

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Test
    void reflectMirrorsWithoutRepeatingTheEdge() {
        // One row a b c d padded by 2: c b | a b c d | c b.
        NDArray row = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 1, 4));
        NDArray wide = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new Shape(1, 1, 3, 3));
        assertArrayEquals(
                new float[] {
                    9, 8, 7, 8, 9, 8, 7, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 9, 8, 7, 8, 9,
                    8, 7, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1
                },
                Padding.pad(wide, 2, PaddingMode.REFLECT).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Padding.pad(row, 1, PaddingMode.REFLECT));
    }

    @ParameterizedTest
    @CsvSource({"REFLECT, 1, 4, 5", "REFLECT, 3, 4, 7", "REFLECT, 3, 5, 4", "REPLICATE, 1, 4, 5", "REPLICATE, 3, 2, 3"})
    void padMatchesIndexMapping(PaddingMode mode, int pad, int h, int w) {
        int c = 2;
        float[] x = iota(2 * c * h * w);
        NDArray input = manager.create(x, new Shape(2, c, h, w));
        NDArray padded = Padding.pad(input, pad, mode);
        assertEquals(new Shape(2, c, h + 2 * pad, w + 2 * pad), padded.getShape());
        IntBinaryOperator map = mode == PaddingMode.REFLECT ? REFLECT : REPLICATE;
        // The batch is two images of c channels: the reference treats it as 2c planes.
        assertArrayEquals(reference(x, 2 * c, h, w, pad, map), padded.toFloatArray());
    }

    @ParameterizedTest
    @EnumSource(
            value = PaddingMode.class,
            names = {"ZERO", "NONE"})
    void constantModesAreNotExplicitPadding(PaddingMode mode) {
        NDArray x = manager.ones(new Shape(1, 1, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Padding.pad(x, 1, mode));
    }

    @Test
    void centreCropStartsAtFloorOfHalfTheDifference() {
        NDArray x = manager.create(iota(7 * 6), new Shape(1, 1, 7, 6));
        NDArray crop = Padding.centreCrop(x, 4, 3);
        // rows 1..4 (offset floor(3/2) = 1), columns 1..3 (offset floor(3/2) = 1).
        float[] want = new float[12];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                want[i * 3 + j] = (1 + i) * 6 + (1 + j);
            }
        }
        assertArrayEquals(want, crop.toFloatArray());
        NDArray even = Padding.centreCrop(x, 3, 2);
        assertEquals(2 * 6 + 2, even.toFloatArray()[0], "offset floor(4/2) = 2 on both axes");
        assertSame(x, Padding.centreCrop(x, 7, 6));
        assertThrows(IllegalArgumentException.class, () -> Padding.centreCrop(x, 8, 6));
    }

    @Test
    void convOutputFormula() {
        assertEquals(128, Padding.convOutput(256, 7, 2, 3));
        assertEquals(125, Padding.convOutput(256, 7, 2, 0));
        assertEquals(107, Padding.convOutput(214, 3, 2, 1));
        assertEquals(27, Padding.convOutput(54, 1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Padding.convOutput(2, 3, 1, 0));
    }

    /** The padded conv equals a direct convolution over reference-padded input. */
    @ParameterizedTest
    @EnumSource(PaddingMode.class)
    void paddedConvMatchesDirectConvolution(PaddingMode mode) {
        int in = 2;
        int out = 3;
        int k = 3;
        int h = 5;
        int w = 6;
        int stride = 2;
        Random random = new Random(5);
        float[] x = new float[in * h * w];
        float[] wt = new float[out * in * k * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (float) random.nextGaussian();
        }
        PaddedConv2d conv = new PaddedConv2d(in, out, k, stride, 1, mode, false);
        conv.setInitializer((m, s, t) -> m.create(wt, s), ai.djl.nn.Parameter.Type.WEIGHT);
        conv.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, in, h, w));
        NDArray y = conv.forward(
                        new ParameterStore(manager, false),
                        new NDList(manager.create(x, new Shape(1, in, h, w))),
                        false)
                .singletonOrThrow();

        int pad = mode == PaddingMode.NONE ? 0 : 1;
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        float[] px = switch (mode) {
            case REFLECT -> reference(x, in, h, w, pad, REFLECT);
            case REPLICATE -> reference(x, in, h, w, pad, REPLICATE);
            case ZERO -> zeroPadded(x, in, h, w, pad);
            case NONE -> x;
        };
        int oh = (ph - k) / stride + 1;
        int ow = (pw - k) / stride + 1;
        assertEquals(new Shape(1, out, oh, ow), y.getShape());
        float[] want = new float[out * oh * ow];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double s = 0;
                    for (int c = 0; c < in; c++) {
                        for (int a = 0; a < k; a++) {
                            for (int b = 0; b < k; b++) {
                                s += wt[((o * in + c) * k + a) * k + b]
                                        * px[(c * ph + i * stride + a) * pw + j * stride + b];
                            }
                        }
                    }
                    want[(o * oh + i) * ow + j] = (float) s;
                }
            }
        }
        assertArrayEquals(want, y.toFloatArray(), 1e-4f);
    }
}
