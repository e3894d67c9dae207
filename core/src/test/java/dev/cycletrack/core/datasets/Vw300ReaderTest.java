package dev.cycletrack.core.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.core.codec.Keypoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vw300ReaderTest {

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String pts(int declared, int written) {
        StringBuilder sb = new StringBuilder("version: 1\nn_points:  " + declared + "\n{\n");
        for (int i = 0; i < written; i++) {
            sb.append(100.5 + i).append(' ').append(200.25 + 2 * i).append('\n');
        }
        return sb.append("}\n").toString();
    }

    @Test
    void readsA68PointFile() throws IOException {
        List<Keypoint> points = Vw300Reader.readPts(write("000001.pts", pts(68, 68)));
        assertEquals(68, points.size());
        assertEquals(Keypoint.at(100.5, 200.25), points.get(0));
        assertEquals(Keypoint.at(167.5, 334.25), points.get(67));
        assertEquals(
                Keypoint.at(99.5, 199.25),
                Vw300Reader.readPtsZeroBased(write("z.pts", pts(68, 68))).get(0));
    }

    @Test
    void toleratesWindowsLineEndsAndBlankLines() throws IOException {
        String text = "version: 1\r\nn_points: 2\r\n\r\n{\r\n1 2\r\n\r\n3 4\r\n}\r\n\r\n";
        assertEquals(List.of(Keypoint.at(1, 2), Keypoint.at(3, 4)), Vw300Reader.readPts(write("crlf.pts", text)));
    }

    @Test
    void malformedFilesNameTheFileAndProblem() throws IOException {
        assertMessage(write("count.pts", pts(68, 67)), "n_points says 68 but the block holds 67");
        assertMessage(write("nocount.pts", "version: 1\n{\n1 2\n}\n"), "no 'n_points:'");
        assertMessage(write("badcount.pts", "version: 1\nn_points: many\n{\n}\n"), "line 2: bad point count");
        assertMessage(write("noopen.pts", "version: 1\nn_points: 1\n"), "no '{'");
        assertMessage(write("noclose.pts", "version: 1\nn_points: 1\n{\n1 2\n"), "not closed");
        assertMessage(write("nan.pts", "version: 1\nn_points: 1\n{\n1 abc\n}\n"), "line 4: not a number");
        assertMessage(write("three.pts", "version: 1\nn_points: 1\n{\n1 2 3\n}\n"), "line 4: expected 'x y'");
        assertMessage(write("header.pts", "version: 1\nwhat: 2\nn_points: 1\n{\n1 2\n}\n"), "unexpected header");
        assertMessage(write("tail.pts", "n_points: 1\n{\n1 2\n}\nextra\n"), "after '}'");
        assertMessage(tmp.resolve("absent.pts"), "absent.pts");
    }

    private static void assertMessage(Path file, String expected) {
        IOException e = assertThrows(IOException.class, () -> Vw300Reader.readPts(file));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void clipLayout() throws IOException {
        Path clip = Files.createDirectories(tmp.resolve("001"));
        IOException e = assertThrows(IOException.class, () -> Vw300Reader.openClip(clip));
        assertTrue(e.getMessage().contains("vid.avi"), e.getMessage());
        Files.createFile(clip.resolve("vid.avi"));
        Path annot = Files.createDirectories(clip.resolve("annot"));
        Files.writeString(annot.resolve("000002.pts"), pts(68, 68));
        Files.writeString(annot.resolve("000001.pts"), pts(68, 68));
        Vw300Reader.Clip c = Vw300Reader.openClip(clip);
        assertEquals("001", c.name());
        assertEquals(2, c.annotations().size());
        assertEquals("000001.pts", c.annotations().get(0).getFileName().toString());
    }
}
