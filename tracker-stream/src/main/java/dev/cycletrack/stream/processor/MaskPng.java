package dev.cycletrack.stream.processor;

import dev.cycletrack.core.image.IdMap;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Id maps as 8-bit gray PNG bytes (0 = background, 1..255 = objects) and back. */
public final class MaskPng {

    private MaskPng() {}

    public static byte[] encode(IdMap map) {
        BufferedImage img = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_BYTE_GRAY);
        int[] ids = map.ids();
        for (int v : ids) {
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("mask id " + v + " is outside 0..255");
            }
        }
        img.getRaster().setSamples(0, 0, map.width(), map.height(), 0, ids);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a mask as PNG: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Decodes gray or palette PNG bytes to the raw sample values (palette indices or gray levels). */
    public static IdMap decode(byte[] png) throws IOException {
        if (png.length == 0) {
            throw new IOException("the mask has no PNG bytes");
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        if (img == null) {
            throw new IOException("the " + png.length + " mask bytes are not a PNG image");
        }
        Raster r = img.getRaster();
        if (r.getNumBands() != 1) {
            throw new IOException("the mask PNG has " + r.getNumBands() + " channels; expected 8-bit gray or palette");
        }
        int[] ids = r.getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (int[]) null);
        return new IdMap(img.getWidth(), img.getHeight(), ids);
    }
}
