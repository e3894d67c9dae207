package dev.cycletrack.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps {@code docs/benchmarks.md} as one file with a section per benchmark command: each run
 * replaces only its own section, between {@code <!-- begin NAME -->} and {@code <!-- end NAME -->}.
 */
public final class BenchmarkDoc {

    private BenchmarkDoc() {}

    /** The CPU's model name, for recording where figures were measured (the OS arch off Linux). */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: fall through.
        }
        return System.getProperty("os.arch");
    }

    public static void writeSection(Path file, String name, String markdown) throws IOException {
        String begin = "<!-- begin " + name + " -->";
        String end = "<!-- end " + name + " -->";
        String block = begin + "\n" + markdown.strip() + "\n" + end;
        String text = Files.exists(file)
                ? Files.readString(file)
                : "# Benchmarks\n\nMeasured figures, each with the command that reproduces it."
                        + " Sections are rewritten by the commands themselves.\n";
        Matcher m = Pattern.compile(Pattern.quote(begin) + ".*?" + Pattern.quote(end), Pattern.DOTALL)
                .matcher(text);
        String updated = m.find()
                ? text.substring(0, m.start()) + block + text.substring(m.end())
                : text.stripTrailing() + "\n\n" + block + "\n";
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, updated);
    }
}
