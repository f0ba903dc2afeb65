package dev.weft.jmh;

import dev.weft.Scope;
import dev.weft.Subtask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Open a scope, fork {@code n} trivial tasks, join, read every result, close: the average time
 * of the whole operation, for weft and the peers that need no preview API. The JDK's
 * StructuredTaskScope and Jox run the same operation in {@code dev.weft.jmh.preview.PreviewScopeBench}
 * (built on JDK 25 only) with the same {@code n}, so {@code -p n=100} compares all five in one run.
 *
 * <p>Every peer stores its handles in an array allocated per operation and hands each result (or
 * thread) to the blackhole after the join, so they all do the same bookkeeping.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class ScopeBench {

    /** Forks per operation. */
    @Param({"1", "100", "10000"})
    public int n;

    private ExecutorService executor;

    @Setup(Level.Trial)
    public void startExecutor() {
        executor = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown(Level.Trial)
    public void stopExecutor() {
        executor.close();
    }

    /** weft: {@code Scope.open()}, {@code fork} n times, {@code join}, {@code get}, {@code close}. */
    @Benchmark
    public void weft(Blackhole bh) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Subtask<Integer>[] subtasks = new Subtask[n];
        try (Scope scope = Scope.open()) {
            for (int i = 0; i < subtasks.length; i++) {
                subtasks[i] = scope.fork(Tasks.CALLABLE);
            }
            scope.join();
            for (Subtask<Integer> s : subtasks) {
                bh.consume(s.get());
            }
        }
    }

    /** The floor: start n virtual threads, then join each one. No scope, no results, no cancellation. */
    @Benchmark
    public void rawVirtual(Blackhole bh) throws InterruptedException {
        Thread[] threads = new Thread[n];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Thread.ofVirtual().start(Tasks.RUNNABLE);
        }
        for (Thread t : threads) {
            t.join();
            bh.consume(t);
        }
    }

    /**
     * {@code CompletableFuture.supplyAsync} on a shared virtual-thread-per-task executor,
     * {@code allOf(...).join()}, then every result.
     */
    @Benchmark
    public void completableFuture(Blackhole bh) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] futures = new CompletableFuture[n];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = CompletableFuture.supplyAsync(Tasks.SUPPLIER, executor);
        }
        CompletableFuture.allOf(futures).join();
        for (CompletableFuture<Integer> f : futures) {
            bh.consume(f.join());
        }
    }
}
