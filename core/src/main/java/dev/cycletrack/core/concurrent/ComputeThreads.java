package dev.cycletrack.core.concurrent;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Lowers the scheduling priority (raises the Linux nice value) of the calling thread, for threads
 * that do long computations (encoder forwards, propagation) beside latency-sensitive ones (Kafka's
 * network and stream threads): when a Kafka thread wakes up on a busy machine, the scheduler then
 * lets it run at once instead of after the computation's time slice. Java's own thread priorities
 * are ignored on Linux, hence the system call through JNA. Raising one's own nice value needs no
 * privilege. Anywhere this cannot work (not Linux x86-64 or aarch64, no libc), it does nothing.
 *
 * <p>Off with {@code -Dcycletrack.computeNice=0}; the default is {@value #DEFAULT_NICE}.
 */
public final class ComputeThreads {

    static final int DEFAULT_NICE = 5;

    private static final int NICE = Integer.getInteger("cycletrack.computeNice", DEFAULT_NICE);

    private ComputeThreads() {}

    /** libc's setpriority and the raw syscall (gettid has no wrapper in older glibc). */
    private interface LibC extends Library {
        int setpriority(int which, int who, int prio);

        long syscall(long number);
    }

    private static final LibC LIBC = load();

    private static LibC load() {
        if (!Platform.isLinux() || !(Platform.isIntel() || Platform.isARM()) || !Platform.is64Bit()) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * Marks the calling thread as a compute thread; returns whether the nice value was set. Call it
     * first thing in the thread's body.
     */
    public static boolean markCurrent() {
        if (LIBC == null || NICE == 0) {
            return false;
        }
        try {
            long gettid = Platform.isIntel() ? 186 : 178; // SYS_gettid on x86-64 and aarch64
            int tid = (int) LIBC.syscall(gettid);
            return tid > 0 && LIBC.setpriority(0 /* PRIO_PROCESS, per thread on Linux */, tid, NICE) == 0;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
