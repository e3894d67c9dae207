package dev.cycletrack.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Annotation PNGs as id maps. Read through javax.imageio rather than OpenCV because {@code imread}
 * expands palette PNGs to colour and so loses the indices, which are the object ids.
 */
public final class LabelPng {

    private static final int DAVIS_2016_OBJECT = 255;

    private LabelPng() {}

    /**
     * Reads an 8-bit palette or grayscale annotation. Palette PNGs (DAVIS 2017 style) give their
     * indices. A grayscale PNG holding only 0 and 255 is a DAVIS-2016 binary mask: 255 becomes id 1 (the
     * 2017 toolkit would read 255 as void). Other grayscale values are kept as ids.
     */
    public static IdMap read(Path file) throws IOException {
        Decoded d = decode(file);
        if (!d.palette) {
            boolean binary255 = true;
            for (int v : d.ids) {
                if (v != 0 && v != DAVIS_2016_OBJECT) {
                    binary255 = false;
                    break;
                }
            }
            if (binary255) {
                for (int i = 0; i < d.ids.length; i++) {
                    d.ids[i] = d.ids[i] == DAVIS_2016_OBJECT ? 1 : 0;
                }
            }
        }
        return new IdMap(d.width, d.height, d.ids);
    }

    /** The raw raster values (palette indices or gray levels), with no 255 mapping. */
    public static IdMap readRaw(Path file) throws IOException {
        Decoded d = decode(file);
        return new IdMap(d.width, d.height, d.ids);
    }

    /** Writes an 8-bit palette PNG with the DAVIS/VOC palette; ids must be in 0..255. */
    public static void write(IdMap labels, Path file) throws IOException {
        BufferedImage img =
                new BufferedImage(labels.width(), labels.height(), BufferedImage.TYPE_BYTE_INDEXED, davisPalette());
        WritableRaster raster = img.getRaster();
        int[] ids = labels.ids();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] > 255) {
                throw new IllegalArgumentException("cannot write " + file + ": id " + ids[i] + " at pixel ("
                        + (i % labels.width()) + ", " + (i / labels.width()) + ") is outside 0..255");
            }
        }
        raster.setSamples(0, 0, labels.width(), labels.height(), 0, ids);
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("cannot write " + file + ": no PNG writer available");
        }
    }

    /** The palette of DAVIS/PASCAL VOC annotations: id bits spread over the high bits of R, G, B. */
    public static IndexColorModel davisPalette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int id = 0; id < 256; id++) {
            int c = id;
            int rv = 0;
            int gv = 0;
            int bv = 0;
            for (int bit = 7; c != 0; bit--, c >>= 3) {
                rv |= (c & 1) << bit;
                gv |= ((c >> 1) & 1) << bit;
                bv |= ((c >> 2) & 1) << bit;
            }
            r[id] = (byte) rv;
            g[id] = (byte) gv;
            b[id] = (byte) bv;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    private record Decoded(int width, int height, int[] ids, boolean palette) {}

    private static Decoded decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "annotation file not found");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read annotation " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException(
                    "cannot read annotation " + file + ": not a PNG (or other image format) ImageIO can" + " decode");
        }
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        int bits = raster.getSampleModel().getSampleSize(0);
        if (bands != 1 || bits > 8) {
            throw new IOException("cannot read annotation " + file + ": expected an 8-bit palette or grayscale PNG,"
                    + " found " + bands + " band(s) of " + bits + " bits");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] ids = raster.getSamples(0, 0, w, h, 0, new int[w * h]);
        boolean palette = img.getColorModel() instanceof IndexColorModel;
        return new Decoded(w, h, ids, palette);
    }
}
