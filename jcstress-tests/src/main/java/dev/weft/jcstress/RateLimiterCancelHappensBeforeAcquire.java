package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.DeadlineExceededException;
import dev.weft.Scope;
import dev.weft.time.ManualTime;
import dev.weft.time.RateLimiter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code RateLimiter}, "Memory consistency effects": <em>"actions in a thread prior to a
 * {@code Reservation.cancel()} that returns permits happen-before actions following an
 * {@code acquire} or {@code tryAcquire} in another thread that obtains permits after it"</em>,
 * for both ways of obtaining them, and that the 2 permits given back are both obtainable.
 *
 * <p>The clock never moves, so the only permits are the 2 a reservation took when the test was
 * set up, which its {@code cancel()} gives back (its time to act has not passed). The canceller
 * writes two plain fields and cancels. The other actor calls {@code tryAcquire()} and reads the
 * first field if it got a permit, then calls {@code acquire()} in a scope whose deadline is 1 ns
 * away, so that it takes a permit at once or fails at once (the refill is a millisecond away), and
 * reads the second field if it got one. r1, r2 = what it read (-1: no permit).
 */
@JCStressTest
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "both came before the cancel")
@Outcome(id = "-1, 1", expect = ACCEPTABLE, desc = "the cancel came between them; acquire saw the writes")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both got a returned permit and saw the writes")
@Outcome(expect = FORBIDDEN, desc = "a permit returned by cancel() was obtained without the writes made before it, or lost")
@State
public class RateLimiterCancelHappensBeforeAcquire {
    final ManualTime time = new ManualTime();
    final RateLimiter limiter = RateLimiter.of(1000, 2, time);
    final RateLimiter.Reservation reservation = limiter.reserve(2);
    int first;
    int second;

    @Actor
    public void canceller() {
        first = 1;
        second = 1;
        reservation.cancel();
    }

    @Actor
    public void acquirer(II_Result r) {
        r.r1 = limiter.tryAcquire() ? first : -1;
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withDeadline(time.now().plusNanos(1)))) {
            limiter.acquire();
            r.r2 = second;
        } catch (DeadlineExceededException e) {
            r.r2 = -1;
        } catch (Throwable t) {
            r.r2 = -100;
        }
    }
}
