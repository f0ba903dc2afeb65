package dev.weft.jmh;

import dev.weft.Scope;
import dev.weft.Subtask;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Retained heap per blocked fork: weft against a raw virtual thread. Not a JMH benchmark (JMH
 * measures time and allocation, not what stays reachable), but a plain program in the same jar:
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp jmh/target/benchmarks.jar dev.weft.jmh.HeapPerFork [forks=20000] [rounds=7]
 * </pre>
 *
 * <p>Each round, for each side: allocate the bookkeeping arrays, force GC and read the used heap;
 * start {@code forks} tasks that all run the same body instance and block on one latch; wait until
 * every one of them is parked (so that its stack has been moved to the heap); force GC and read the
 * used heap again. The difference divided by {@code forks} is the retained heap per blocked task:
 * the thread object, its parked stack, and for weft the subtask and its slot in the scope's thread
 * list. Then the latch opens and everything is joined. Both sides keep one handle per task (a
 * {@code Thread[]} or a {@code Subtask[]}, allocated before the first reading, so not counted).
 * The medians over the rounds are printed; the first round of each side is preceded by a small
 * unreported warm-up round of the same size, so that class loading, JIT compilation and the
 * first growth of the heap do not count.
 */
public final class HeapPerFork {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapPerFork() {}

    public static void main(String[] args) throws Exception {
        int forks = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        if (forks < 1 || rounds < 1) {
            throw new IllegalArgumentException("usage: HeapPerFork [forks >= 1] [rounds >= 1]");
        }
        raw(forks);
        weft(forks);

        double[] raw = new double[rounds];
        double[] weft = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            raw[r] = raw(forks);
            weft[r] = weft(forks);
            System.out.printf(Locale.ROOT, "round %d: raw virtual thread %.0f B, weft fork %.0f B%n", r + 1, raw[r], weft[r]);
        }
        double rawMedian = median(raw);
        double weftMedian = median(weft);
        System.out.printf(Locale.ROOT, "%nJDK %s, %d blocked tasks per side, median of %d rounds%n",
                Runtime.version(), forks, rounds);
        System.out.printf(Locale.ROOT, "bytes per blocked raw virtual thread: %.0f%n", rawMedian);
        System.out.printf(Locale.ROOT, "bytes per blocked weft fork:          %.0f%n", weftMedian);
        System.out.printf(Locale.ROOT, "weft / raw: %.2fx (+%.0f B per fork)%n", weftMedian / rawMedian, weftMedian - rawMedian);
    }

    /** Retained bytes per blocked raw virtual thread. */
    private static double raw(int forks) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReferenceArray<Thread> seen = new AtomicReferenceArray<>(forks);
        Thread[] handles = new Thread[forks];
        Runnable body = blockingBody(release, seen, new AtomicInteger());
        long before = usedHeapAfterGc();
        for (int i = 0; i < forks; i++) {
            handles[i] = Thread.ofVirtual().start(body);
        }
        awaitAllParked(seen);
        long after = usedHeapAfterGc();
        release.countDown();
        for (Thread t : handles) {
            t.join();
        }
        Reference.reachabilityFence(handles);
        return (after - before) / (double) forks;
    }

    /** Retained bytes per blocked fork of one weft scope. */
    private static double weft(int forks) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReferenceArray<Thread> seen = new AtomicReferenceArray<>(forks);
        @SuppressWarnings("unchecked")
        Subtask<Void>[] handles = new Subtask[forks];
        Runnable blocking = blockingBody(release, seen, new AtomicInteger());
        Callable<Void> body = () -> {
            blocking.run();
            return null;
        };
        long before;
        long after;
        Scope scope = null;
        try {
            before = usedHeapAfterGc();
            scope = Scope.open();
            for (int i = 0; i < forks; i++) {
                handles[i] = scope.fork(body);
            }
            awaitAllParked(seen);
            after = usedHeapAfterGc();
            release.countDown();
            scope.join();
        } finally {
            release.countDown();
            if (scope != null) {
                scope.close();
            }
        }
        Reference.reachabilityFence(handles);
        return (after - before) / (double) forks;
    }

    /** One body shared by every task of a side: record the thread, then block until released. */
    private static Runnable blockingBody(CountDownLatch release, AtomicReferenceArray<Thread> seen, AtomicInteger next) {
        return () -> {
            seen.set(next.getAndIncrement(), Thread.currentThread());
            boolean interrupted = false;
            while (true) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static void awaitAllParked(AtomicReferenceArray<Thread> seen) throws InterruptedException {
        for (int i = 0; i < seen.length(); i++) {
            Thread t;
            while ((t = seen.get(i)) == null || t.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(30);
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
