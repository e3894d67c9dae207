package dev.cycletrack.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A compute thread runs at the lower priority; the thread that marked nothing keeps its own. */
class ComputeThreadsTest {

    /** Field 19 of /proc/thread-self/stat: the calling thread's nice value. */
    private static int currentNice() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]); // fields after the name start at field 3
    }

    @Test
    void markedThreadRunsNicer() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "needs Linux /proc");
        int before = currentNice();
        int[] seen = new int[2];
        // A thread of its own, so that no pooled thread used by other tests stays marked.
        Thread worker = new Thread(() -> {
            try {
                seen[0] = ComputeThreads.markCurrent() ? 1 : 0;
                seen[1] = currentNice();
            } catch (IOException e) {
                seen[1] = Integer.MIN_VALUE;
            }
        });
        worker.start();
        worker.join();
        assertEquals(1, seen[0], "setpriority through JNA should succeed on Linux");
        assertTrue(seen[1] >= ComputeThreads.DEFAULT_NICE, "nice of the marked thread: " + seen[1]);
        assertEquals(before, currentNice(), "the test thread itself is untouched");
    }
}
