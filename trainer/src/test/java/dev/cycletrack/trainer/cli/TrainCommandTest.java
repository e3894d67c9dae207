package dev.cycletrack.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cycletrack.trainer.train.TrainConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

    @Test
    void configFileIsReadAndUnknownKeysAreNamed(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("ok.json");
        Files.writeString(ok, "{\"cropSize\": 96, \"lr\": 0.0003, \"videos\": [\"a.mp4\"]}");
        TrainConfig c = TrainCommand.readConfig(ok);
        assertEquals(96, c.cropSize);
        assertEquals(3e-4, c.lr);
        assertEquals(4, c.clipLength); // reference default kept
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"cropsize\": 96}");
        IOException e = assertThrows(IOException.class, () -> TrainCommand.readConfig(bad));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("cropsize"), e.getMessage());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"cropSize\": ");
        IOException e2 = assertThrows(IOException.class, () -> TrainCommand.readConfig(broken));
        assertTrue(e2.getMessage().contains("broken.json"), e2.getMessage());
    }

    @Test
    void helpDocumentsEveryOption() {
        StringWriter sw = new StringWriter();
        CommandLine cl = new CommandLine(new TrainCommand());
        cl.setOut(new PrintWriter(sw));
        cl.execute("--help");
        String help = sw.toString();
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            assertTrue(help.contains(o.longestName().replaceFirst("^--", "")), o.longestName());
            assertTrue(o.description().length > 0 && !o.description()[0].isBlank(), "undocumented " + o.longestName());
        }
    }

    @Test
    void badValuesAreRefusedWithTheOptionName(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cl = dev.cycletrack.core.cli.Cycletrack.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("train", "--out", dir.toString(), "--videos", "x.mp4", "--objective", "simclr");
        assertEquals(1, code);
        assertTrue(err.toString().contains("--objective"), err.toString());
        StringWriter err2 = new StringWriter();
        cl.setErr(new PrintWriter(err2));
        code = cl.execute(
                "train",
                "--out",
                dir.toString(),
                "--videos",
                dir.resolve("nope").toString(),
                "--crop-size",
                "32");
        assertEquals(1, code);
        assertTrue(err2.toString().contains("nope"), err2.toString());
    }
}
