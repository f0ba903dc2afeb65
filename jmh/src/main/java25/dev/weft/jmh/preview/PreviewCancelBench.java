package dev.weft.jmh.preview;

import dev.weft.jmh.Tasks;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
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
 * The preview half of {@code dev.weft.jmh.CancelBench}: {@code blocked} tasks blocked forever on a
 * latch in a JDK 25 {@code StructuredTaskScope.open()} (joiner: await all successful or throw,
 * which cancels the scope on the first failure), then one task fails. Timed from forking the
 * failing task:
 * <ul>
 *   <li>{@code jdkStructuredTaskScopeFailToJoin}: until {@code join()} throws. The JDK's join
 *       returns once the scope is cancelled, without waiting for the interrupted threads, so this
 *       is not the same point as weft's join.</li>
 *   <li>{@code jdkStructuredTaskScopeFailToClose}: until {@code close()} returns and every thread
 *       has ended. Compare this with {@code CancelBench.weftFailToClose}.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
@Warmup(iterations = 10)
@Measurement(iterations = 30)
public class PreviewCancelBench {

    /** Tasks blocked when the failure happens; the same values as {@code CancelBench.blocked}. */
    @Param({"10000"})
    public int blocked;

    private StructuredTaskScope<Integer, Void> scope;
    private CountDownLatch never;
    private boolean closed;

    @Setup(Level.Invocation)
    public void openAndBlock() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(blocked);
        this.never = never;
        scope = StructuredTaskScope.open();
        closed = false;
        for (int i = 0; i < blocked; i++) {
            scope.fork(() -> {
                running.countDown();
                never.await();
                return null;
            });
        }
        running.await();
    }

    @TearDown(Level.Invocation)
    public void closeIfOpen() {
        never.countDown();
        if (!closed) {
            scope.close();
        }
    }

    @Benchmark
    public Object jdkStructuredTaskScopeFailToJoin() throws InterruptedException {
        scope.fork(Tasks.FAIL);
        try {
            scope.join();
        } catch (StructuredTaskScope.FailedException expected) {
            return expected;
        }
        throw new AssertionError("join() did not throw although a task failed");
    }

    @Benchmark
    public Object jdkStructuredTaskScopeFailToClose() throws InterruptedException {
        Object thrown = jdkStructuredTaskScopeFailToJoin();
        scope.close();
        closed = true;
        return thrown;
    }
}
