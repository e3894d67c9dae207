package dev.cycletrack.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.testutil.TestVectors;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelPngTest {

    @TempDir
    Path tmp;

    @Test
    void davis2016MaskMaps255ToOne() throws IOException {
        Path png = TestVectors.requireData("davis2016/Annotations/480p/blackswan/00000.png");
        IdMap raw = LabelPng.readRaw(png);
        IdMap ids = Images.readAnnotation(png);
        assertEquals(854, ids.width());
        assertEquals(480, ids.height());
        assertEquals(raw.count(255), ids.count(1));
        assertEquals(raw.count(0), ids.count(0));
        assertEquals(1, ids.maxId());
        assertTrue(ids.nonZeroCount() > 1000);
    }

    @Test
    void paletteRoundTripKeepsIdsIncludingVoid() throws IOException {
        int[] ids = {0, 1, 2, 3, 255, 7, 0, 1};
        Path file = tmp.resolve("p.png");
        LabelPng.write(new IdMap(4, 2, ids), file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertTrue(img.getColorModel() instanceof IndexColorModel, "written as a palette PNG");
        assertEquals(0x800000, img.getRGB(1, 0) & 0xffffff, "DAVIS palette: id 1 is (128, 0, 0)");
        // Palette indices are ids as they are: 255 stays 255 (void), no 0/255 remapping.
        assertArrayEquals(ids, LabelPng.read(file).ids());
        assertArrayEquals(ids, LabelPng.readRaw(file).ids());
    }

    @Test
    void grayIdsOtherThanBinaryAreKept() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 3, 7});
        Path file = tmp.resolve("g.png");
        ImageIO.write(img, "png", file.toFile());
        assertArrayEquals(new int[] {0, 3, 7}, LabelPng.read(file).ids());
    }

    @Test
    void rejectsColourAndGarbageNamingTheFile() throws IOException {
        Path rgb = tmp.resolve("rgb.png");
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", rgb.toFile());
        IOException e = assertThrows(IOException.class, () -> LabelPng.read(rgb));
        assertTrue(e.getMessage().contains("rgb.png") && e.getMessage().contains("3 band"), e.getMessage());

        Path garbage = tmp.resolve("garbage.png");
        Files.writeString(garbage, "not a png");
        e = assertThrows(IOException.class, () -> LabelPng.read(garbage));
        assertTrue(e.getMessage().contains("garbage.png"), e.getMessage());

        e = assertThrows(IOException.class, () -> LabelPng.read(tmp.resolve("none.png")));
        assertTrue(e.getMessage().contains("none.png"), e.getMessage());
    }

    @Test
    void rejectsIdsAPaletteCannotHold() {
        assertThrows(
                IllegalArgumentException.class,
                () -> LabelPng.write(new IdMap(1, 1, new int[] {256}), tmp.resolve("x.png")));
    }
}
