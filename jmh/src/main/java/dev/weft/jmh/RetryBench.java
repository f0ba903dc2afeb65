package dev.weft.jmh;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import dev.weft.time.Backoff;
import dev.weft.time.Retry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost a retry adds to a call that succeeds at once, which is what almost every call through
 * a retry does: the average time of one call of a trivial operation, made directly
 * ({@code direct}, the baseline) and through weft's {@link Retry}, Failsafe's
 * {@code RetryPolicy} and Resilience4j's {@code Retry}. The overhead of each is its time minus
 * {@code direct}'s; the README compares the overheads.
 *
 * <p>Every peer is built once, in the set-up, with the same policy: at most 3 attempts,
 * exponential backoff from 100 ms up to 1 s (never used: the operation never fails). Each runs the
 * same operation, which reads a field of this state (so that the JIT cannot fold it into a
 * constant) and returns it; the value is returned to JMH. Resilience4j's callable is decorated
 * once, as a service would hold it; Failsafe's executor is built once. weft's retry runs outside
 * any scope, in the root context.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class RetryBench {
    Integer value = 42;

    private Callable<Integer> operation;
    private Retry weft;
    private FailsafeExecutor<Integer> failsafe;
    private CheckedSupplier<Integer> failsafeOperation;
    private Callable<Integer> resilience4j;

    @Setup(Level.Trial)
    public void create() {
        operation = () -> value;
        weft = Retry.with(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withMaxAttempts(3));
        failsafe = Failsafe.with(RetryPolicy.<Integer>builder()
                .withMaxAttempts(3)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .build());
        failsafeOperation = () -> value;
        io.github.resilience4j.retry.Retry r4j = io.github.resilience4j.retry.Retry.of("bench", RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1)))
                .build());
        resilience4j = io.github.resilience4j.retry.Retry.decorateCallable(r4j, operation);
    }

    /** The baseline: the operation itself. */
    @Benchmark
    public Integer direct() throws Exception {
        return operation.call();
    }

    /** weft: {@code retry.call(operation)}. */
    @Benchmark
    public Integer weft() throws InterruptedException {
        return weft.call(operation);
    }

    /** Failsafe 3.3.2: {@code Failsafe.with(retryPolicy).get(operation)}. */
    @Benchmark
    public Integer failsafe() {
        return failsafe.get(failsafeOperation);
    }

    /** Resilience4j 2.4.0: {@code Retry.decorateCallable(retry, operation).call()}. */
    @Benchmark
    public Integer resilience4j() throws Exception {
        return resilience4j.call();
    }
}
