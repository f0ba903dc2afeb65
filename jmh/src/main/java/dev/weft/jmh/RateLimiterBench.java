package dev.weft.jmh;

import dev.weft.time.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path of a rate limiter that never waits: the average time of one permit check, for
 * weft's {@link RateLimiter#tryAcquire()}, Resilience4j's {@code RateLimiter.acquirePermission()}
 * (its default {@code AtomicRateLimiter}, {@code timeoutDuration} 0, so it never waits either) and
 * Failsafe's {@code RateLimiter.tryAcquirePermit()}, smooth and bursty.
 *
 * <ul>
 *   <li>{@code regime = allowed}: every check is granted. Each limiter allows far more than a
 *       thread can ask for (weft: 10<sup>9</sup> permits per second, a burst of 10<sup>6</sup>;
 *       Resilience4j: {@code Integer.MAX_VALUE} permits per 1 s period; Failsafe smooth: one
 *       execution per nanosecond; Failsafe bursty: {@code Long.MAX_VALUE / 2} permits per second),
 *       so every call reads the clock, refills and takes a permit.</li>
 *   <li>{@code regime = denied}: every check is refused. Each limiter allows one permit per hour
 *       and that permit is taken in the set-up, so every call reads the clock, finds nothing and
 *       says no: the overloaded service shedding load.</li>
 * </ul>
 *
 * <p>One thread, each limiter its own; the boolean answer goes back to JMH.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class RateLimiterBench {

    /** Whether the checks are granted or refused. */
    @Param({"allowed", "denied"})
    public String regime;

    private RateLimiter weft;
    private io.github.resilience4j.ratelimiter.RateLimiter resilience4j;
    private dev.failsafe.RateLimiter<Object> failsafeSmooth;
    private dev.failsafe.RateLimiter<Object> failsafeBursty;

    @Setup(Level.Trial)
    public void create() {
        boolean allowed = regime.equals("allowed");
        Duration hour = Duration.ofHours(1);
        if (allowed) {
            weft = RateLimiter.of(1e9, 1_000_000);
            resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.of("bench", RateLimiterConfig.custom()
                    .limitForPeriod(Integer.MAX_VALUE).limitRefreshPeriod(Duration.ofSeconds(1))
                    .timeoutDuration(Duration.ZERO).build());
            failsafeSmooth = dev.failsafe.RateLimiter.smoothBuilder(Duration.ofNanos(1)).build();
            failsafeBursty = dev.failsafe.RateLimiter.burstyBuilder(Long.MAX_VALUE / 2, Duration.ofSeconds(1)).build();
        } else {
            weft = RateLimiter.of(1.0 / 3600, 1);
            resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.of("bench", RateLimiterConfig.custom()
                    .limitForPeriod(1).limitRefreshPeriod(hour).timeoutDuration(Duration.ZERO).build());
            failsafeSmooth = dev.failsafe.RateLimiter.smoothBuilder(1, hour).build();
            failsafeBursty = dev.failsafe.RateLimiter.burstyBuilder(1, hour).build();
            weft.tryAcquire();
            resilience4j.acquirePermission();
            failsafeSmooth.tryAcquirePermit();
            failsafeBursty.tryAcquirePermit();
        }
        boolean expect = allowed;
        if (weft.tryAcquire() != expect || resilience4j.acquirePermission() != expect
                || failsafeSmooth.tryAcquirePermit() != expect || failsafeBursty.tryAcquirePermit() != expect) {
            throw new IllegalStateException("a limiter does not behave as the " + regime + " regime needs");
        }
    }

    /** weft: {@code tryAcquire()}. */
    @Benchmark
    public boolean weft() {
        return weft.tryAcquire();
    }

    /** Resilience4j 2.4.0 {@code AtomicRateLimiter}: {@code acquirePermission()}, timeout 0. */
    @Benchmark
    public boolean resilience4j() {
        return resilience4j.acquirePermission();
    }

    /** Failsafe 3.3.2 smooth limiter: {@code tryAcquirePermit()}. */
    @Benchmark
    public boolean failsafeSmooth() {
        return failsafeSmooth.tryAcquirePermit();
    }

    /** Failsafe 3.3.2 bursty limiter: {@code tryAcquirePermit()}. */
    @Benchmark
    public boolean failsafeBursty() {
        return failsafeBursty.tryAcquirePermit();
    }
}
