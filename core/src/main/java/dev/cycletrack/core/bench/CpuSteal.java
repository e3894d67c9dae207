package dev.cycletrack.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much CPU time the hypervisor took from this virtual machine during a benchmark ("steal" in
 * /proc/stat): on a shared host, figures measured under heavy steal are slower than the machine is.
 * Take a {@link #snapshot} before and {@link #percentSince} after; NaN where /proc/stat is absent.
 */
public record CpuSteal(long steal, long total) {

    public static CpuSteal snapshot() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            for (String line : lines) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long total = 0;
                    for (int i = 1; i < f.length; i++) {
                        total += Long.parseLong(f[i]);
                    }
                    // Fields: user nice system idle iowait irq softirq steal guest guest_nice.
                    long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                    return new CpuSteal(steal, total);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return new CpuSteal(-1, -1);
    }

    /** Percentage of all CPU time since {@code before} that was stolen, rounded to 0.1. */
    public double percentSince(CpuSteal before) {
        if (steal < 0 || before.steal < 0 || total <= before.total) {
            return Double.NaN;
        }
        double p = 100.0 * (steal - before.steal) / (total - before.total);
        return Math.round(p * 10) / 10.0;
    }
}
