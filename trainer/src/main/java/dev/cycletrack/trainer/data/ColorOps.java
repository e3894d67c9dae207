package dev.cycletrack.trainer.data;

import dev.cycletrack.core.image.RgbImage;

/**
 * The colour operations of SPEC 3.1 on 8-bit RGB, as PIL does them for torchvision's transforms: every
 * result is quantised back to 8 bits by truncation after clamping to [0, 255].
 */
public final class ColorOps {

    private ColorOps() {}

    /** PIL's "L" conversion: (19595 R + 38470 G + 7471 B + 0x8000) >> 16, about 0.299R + 0.587G + 0.114B. */
    public static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    private static byte clampTruncate(double v) {
        if (v <= 0) {
            return 0;
        }
        if (v >= 255) {
            return (byte) 255;
        }
        return (byte) (int) v;
    }

    /** Blend with black: v * f. */
    public static RgbImage brightness(RgbImage img, double factor) {
        byte[] in = img.rgb();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = clampTruncate((in[i] & 0xff) * factor);
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** Blend with the mean grey level of the image (rounded): m + f (v - m). */
    public static RgbImage contrast(RgbImage img, double factor) {
        byte[] in = img.rgb();
        long sum = 0;
        int n = in.length / 3;
        for (int i = 0; i < n; i++) {
            sum += luma(in[3 * i] & 0xff, in[3 * i + 1] & 0xff, in[3 * i + 2] & 0xff);
        }
        int mean = (int) (sum / (double) n + 0.5);
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = clampTruncate(mean + factor * ((in[i] & 0xff) - mean));
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** Blend with the per-pixel grey version: L + f (v - L). */
    public static RgbImage saturation(RgbImage img, double factor) {
        byte[] in = img.rgb();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i += 3) {
            int l = luma(in[i] & 0xff, in[i + 1] & 0xff, in[i + 2] & 0xff);
            for (int c = 0; c < 3; c++) {
                out[i + c] = clampTruncate(l + factor * ((in[i + c] & 0xff) - l));
            }
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /**
     * Hue rotation by {@code shift} of a full turn (in [-0.5, 0.5]): RGB to 8-bit HSV, hue + shift*255
     * modulo 256 (uint8 wrap-around, as torchvision does on PIL images), back to RGB.
     */
    public static RgbImage hue(RgbImage img, double shift) {
        byte[] in = img.rgb();
        byte[] out = new byte[in.length];
        int delta = (int) (shift * 255);
        for (int i = 0; i < in.length; i += 3) {
            int r = in[i] & 0xff;
            int g = in[i + 1] & 0xff;
            int b = in[i + 2] & 0xff;
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            if (max == min) {
                out[i] = in[i];
                out[i + 1] = in[i + 1];
                out[i + 2] = in[i + 2];
                continue;
            }
            double cr = max - min;
            double s = cr / max;
            double rc = (max - r) / cr;
            double gc = (max - g) / cr;
            double bc = (max - b) / cr;
            double h;
            if (r == max) {
                h = bc - gc;
            } else if (g == max) {
                h = 2.0 + rc - bc;
            } else {
                h = 4.0 + gc - rc;
            }
            h = (h / 6.0) % 1.0;
            if (h < 0) {
                h += 1.0;
            }
            int h8 = ((int) (h * 255) + delta) & 0xff;
            int s8 = (int) (s * 255);
            hsvToRgb(h8, s8, max, out, i);
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** PIL's hsv2rgb for 8-bit h, s, v. */
    private static void hsvToRgb(int h8, int s8, int v, byte[] out, int at) {
        if (s8 == 0) {
            out[at] = out[at + 1] = out[at + 2] = (byte) v;
            return;
        }
        double h = h8 / 255.0 * 6.0;
        double s = s8 / 255.0;
        int i = (int) Math.floor(h);
        double f = h - i;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double r;
        double g;
        double b;
        switch (i % 6) {
            case 0 -> {
                r = v;
                g = t;
                b = p;
            }
            case 1 -> {
                r = q;
                g = v;
                b = p;
            }
            case 2 -> {
                r = p;
                g = v;
                b = t;
            }
            case 3 -> {
                r = p;
                g = q;
                b = v;
            }
            case 4 -> {
                r = t;
                g = p;
                b = v;
            }
            default -> {
                r = v;
                g = p;
                b = q;
            }
        }
        out[at] = clampTruncate(r);
        out[at + 1] = clampTruncate(g);
        out[at + 2] = clampTruncate(b);
    }

    /** L into all three channels. */
    public static RgbImage grayscale(RgbImage img) {
        byte[] in = img.rgb();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i += 3) {
            byte l = (byte) luma(in[i] & 0xff, in[i + 1] & 0xff, in[i + 2] & 0xff);
            out[i] = l;
            out[i + 1] = l;
            out[i + 2] = l;
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** 8-bit v >= 128 becomes 255 - v. */
    public static RgbImage solarize(RgbImage img) {
        byte[] in = img.rgb();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            int v = in[i] & 0xff;
            out[i] = (byte) (v >= 128 ? 255 - v : v);
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** Separable Gaussian blur with standard deviation {@code sigma} pixels, radius ceil(3 sigma), edges mirrored. */
    public static RgbImage gaussianBlur(RgbImage img, double sigma) {
        if (!(sigma > 0)) {
            return img;
        }
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            double v = Math.exp(-(k * k) / (2 * sigma * sigma));
            kernel[k + radius] = (float) v;
            sum += v;
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= (float) sum;
        }
        int w = img.width();
        int h = img.height();
        byte[] in = img.rgb();
        float[] tmp = new float[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = -radius; k <= radius; k++) {
                    int xx = mirror(x + k, w);
                    int at = (y * w + xx) * 3;
                    float kv = kernel[k + radius];
                    r += kv * (in[at] & 0xff);
                    g += kv * (in[at + 1] & 0xff);
                    b += kv * (in[at + 2] & 0xff);
                }
                int o = (y * w + x) * 3;
                tmp[o] = r;
                tmp[o + 1] = g;
                tmp[o + 2] = b;
            }
        }
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = -radius; k <= radius; k++) {
                    int yy = mirror(y + k, h);
                    int at = (yy * w + x) * 3;
                    float kv = kernel[k + radius];
                    r += kv * tmp[at];
                    g += kv * tmp[at + 1];
                    b += kv * tmp[at + 2];
                }
                int o = (y * w + x) * 3;
                // Round here: blurring a flat image must leave it unchanged.
                out[o] = clampTruncate(r + 0.5f);
                out[o + 1] = clampTruncate(g + 0.5f);
                out[o + 2] = clampTruncate(b + 0.5f);
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int mirror(int v, int n) {
        if (n == 1) {
            return 0;
        }
        while (v < 0 || v >= n) {
            v = v < 0 ? -v - 1 : 2 * n - v - 1;
        }
        return v;
    }
}
