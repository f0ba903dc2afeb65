package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.CancelledException;
import dev.weft.Scope;
import dev.weft.time.ManualTime;
import dev.weft.time.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves the {@code RateLimiter} bound: <em>in any interval of length T the permits granted are
 * at most burst + rate * T</em>, with {@code tryAcquire}, a blocking {@code acquire} and the clock
 * moving, all at once; and that no permit is lost on the way. On {@code ManualTime} the elapsed
 * time is exact.
 *
 * <p>The limiter refills 1 permit per millisecond into a bucket of 1, which starts full, and the
 * clock moves once, by 1 ms: at most 2 permits can ever be granted, and since the first one is
 * always taken before the clock moves, exactly 2 are. The first actor tries {@code tryAcquire()}
 * twice, advances the clock by 1 ms, and tries twice more. The second calls {@code acquire()}
 * inside a scope whose deadline is at 1 ms on the same clock, so it gets a permit (at once, or by
 * waiting for the refill at 1 ms) or fails at once ({@code DeadlineExceededException}: the
 * deadline has passed): it never waits for ever; then it tries {@code tryAcquire()} twice. The
 * arbiter takes what is left. r1 = permits granted by the actors, r2 = r1 + permits left.
 */
@JCStressTest
@Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "exactly burst + rate * elapsed = 2 permits granted")
@Outcome(expect = FORBIDDEN, desc = "more than burst + rate * elapsed, or a permit lost")
@State
public class RateLimiterNeverExceedsBurstPlusRate {
    final ManualTime time = new ManualTime();
    final RateLimiter limiter = RateLimiter.of(1000, 1, time);
    final Instant deadline = time.now().plusMillis(1);
    int first;
    int second;

    @Actor
    public void trierAndAdvancer() {
        int n = tries(2);
        time.advance(Duration.ofMillis(1));
        first = n + tries(2);
    }

    @Actor
    public void waiter() {
        int n;
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withDeadline(deadline))) {
            limiter.acquire();
            n = 1;
        } catch (CancelledException e) {
            n = 0; // a DeadlineExceededException: no permit
        } catch (InterruptedException e) {
            n = -100;
        }
        second = n + tries(2);
    }

    private int tries(int times) {
        int n = 0;
        for (int i = 0; i < times; i++) {
            if (limiter.tryAcquire()) {
                n++;
            }
        }
        return n;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        int left = tries(10);
        r.r1 = first + second;
        r.r2 = first + second + left;
    }
}
