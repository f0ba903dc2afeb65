package dev.weft.jmh;

import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import java.util.concurrent.CountDownLatch;
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

/**
 * Cancellation latency. Not timed (per-invocation setup): open a fail-fast scope and fork
 * {@code blocked} tasks that block forever on a latch, and wait until every one of them runs.
 * Timed: fork one task that fails at once, then
 * <ul>
 *   <li>{@code weftFailToJoin}: until {@code join()} throws (weft's join waits until every
 *       cancelled task has ended);</li>
 *   <li>{@code weftFailToClose}: until {@code close()} returns, i.e. every thread has ended and
 *       the scope is gone. This is the figure to compare with the JDK's StructuredTaskScope
 *       ({@code PreviewCancelBench.jdkStructuredTaskScopeFailToClose}), whose {@code join}
 *       returns as soon as the scope is cancelled and leaves the waiting to {@code close}.</li>
 * </ul>
 * Single-shot: each sample is one cancellation of {@code blocked} threads.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@Fork(1)
@Warmup(iterations = 10)
@Measurement(iterations = 30)
public class CancelBench {

    /** Tasks blocked when the failure happens. */
    @Param({"10000"})
    public int blocked;

    private Scope scope;
    private CountDownLatch never;

    @Setup(Level.Invocation)
    public void openAndBlock() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(blocked);
        this.never = never;
        scope = Scope.open();
        for (int i = 0; i < blocked; i++) {
            scope.fork(() -> {
                running.countDown();
                never.await();
            });
        }
        running.await();
    }

    @TearDown(Level.Invocation)
    public void closeIfOpen() {
        never.countDown();
        scope.close();
    }

    @Benchmark
    public Object weftFailToJoin() throws InterruptedException {
        scope.fork(Tasks.FAIL);
        try {
            scope.join();
        } catch (ScopeFailedException expected) {
            return expected;
        }
        throw new AssertionError("join() did not throw although a task failed");
    }

    @Benchmark
    public Object weftFailToClose() throws InterruptedException {
        Object thrown = weftFailToJoin();
        scope.close();
        return thrown;
    }
}
