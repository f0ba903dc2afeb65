package dev.weft.jmh;

import dev.weft.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One permit taken and given back: the average time of {@code acquire(1)} followed by
 * {@code release(1)}, for weft's {@link Semaphore} and the JDK's
 * {@link java.util.concurrent.Semaphore} created <em>fair</em>, its peer in semantics (weft's
 * semaphore is strict FIFO; the JDK's unfair mode lets arrivals barge and is not compared).
 *
 * <ul>
 *   <li>{@code weftUncontended}, {@code jdkFairUncontended}: one thread, a semaphore of its own
 *       with {@value #UNCONTENDED_PERMITS} permits, so the permit is always free and nobody is
 *       ever queued. Measures the fast path: the lock (weft) or CAS (JDK), the FIFO check, the
 *       bookkeeping, and for weft the {@code Context.current()} lookup and cancellation check.</li>
 *   <li>{@code weftContended}, {@code jdkFairContended}: four threads (on purpose more than the
 *       cores of a small CI machine) share one semaphore of {@code permits} permits and each
 *       holds its permit for {@value #HOLD_TOKENS} {@link Blackhole#consumeCPU} tokens, so that
 *       threads really queue, park and are handed the permit in order. The score is the average
 *       time per acquire/release pair seen by one thread, hold time and waiting included.</li>
 * </ul>
 *
 * <p>Every peer does the same work: the same interruptible acquire of one permit, the same
 * release in a {@code finally} (so no thread can leave the semaphore short and deadlock the
 * others), the same hold work, and it returns the same kind of value to keep the calls alive.
 * Both are called from plain platform threads outside any weft scope, so weft's acquire runs in
 * the root context.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class SemaphoreBench {

    /** Permits of the per-thread semaphores of the uncontended benchmarks: always plenty. */
    public static final int UNCONTENDED_PERMITS = 64;

    /** Work done while holding the permit in the contended benchmarks. */
    public static final long HOLD_TOKENS = 16;

    private Semaphore weft;
    private java.util.concurrent.Semaphore jdkFair;

    @Setup(Level.Trial)
    public void create() {
        weft = new Semaphore(UNCONTENDED_PERMITS);
        jdkFair = new java.util.concurrent.Semaphore(UNCONTENDED_PERMITS, true);
    }

    /** The semaphores the contended benchmarks' threads share. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Shared {
        /** Total permits of the shared semaphore; fewer than the four threads, so they queue. */
        @Param({"1", "2"})
        public int permits;

        Semaphore weft;
        java.util.concurrent.Semaphore jdkFair;

        @Setup(Level.Trial)
        public void create() {
            weft = new Semaphore(permits);
            jdkFair = new java.util.concurrent.Semaphore(permits, true);
        }
    }

    /** weft: {@code acquire(1)}, {@code release(1)} on a semaphore nobody else uses. */
    @Benchmark
    @Threads(1)
    public Object weftUncontended() throws InterruptedException {
        Semaphore s = weft;
        s.acquire(1);
        try {
            return s;
        } finally {
            s.release(1);
        }
    }

    /** JDK, fair: {@code acquire(1)}, {@code release(1)} on a semaphore nobody else uses. */
    @Benchmark
    @Threads(1)
    public Object jdkFairUncontended() throws InterruptedException {
        java.util.concurrent.Semaphore s = jdkFair;
        s.acquire(1);
        try {
            return s;
        } finally {
            s.release(1);
        }
    }

    /** weft: four threads {@code acquire(1)}, hold, {@code release(1)} on one shared semaphore. */
    @Benchmark
    @Threads(4)
    public Object weftContended(Shared shared) throws InterruptedException {
        Semaphore s = shared.weft;
        s.acquire(1);
        try {
            Blackhole.consumeCPU(HOLD_TOKENS);
            return s;
        } finally {
            s.release(1);
        }
    }

    /** JDK, fair: four threads {@code acquire(1)}, hold, {@code release(1)} on one shared semaphore. */
    @Benchmark
    @Threads(4)
    public Object jdkFairContended(Shared shared) throws InterruptedException {
        java.util.concurrent.Semaphore s = shared.jdkFair;
        s.acquire(1);
        try {
            Blackhole.consumeCPU(HOLD_TOKENS);
            return s;
        } finally {
            s.release(1);
        }
    }
}
