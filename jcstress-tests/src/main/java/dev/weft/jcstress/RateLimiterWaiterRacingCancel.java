package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.time.ManualTime;
import dev.weft.time.RateLimiter;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LI_Result;

/**
 * Proves, for {@code RateLimiter.acquire} racing the cancellation of its context and the refill:
 * <em>"A waiter that gives up returns its permits as {@code Reservation.cancel()} does"</em>: an
 * acquire that returns holds its permit, one that throws leaves it in the bucket, never both and
 * never neither, and the cancellation wakes the scope's owner without an interrupt.
 *
 * <p>The bucket of 1 is empty at the start and refills 1 permit per millisecond. The owner opens
 * a scope, publishes it and calls {@code acquire()}, which reserves the permit due at 1 ms and
 * sleeps; or fails at once, if the cancel came first; or, if the clock moved between its
 * cancellation check and its reservation, takes the refilled permit at once. The other actor
 * cancels the scope and then advances the clock to 1 ms, so the permits given back by a waiter
 * that gives up race the refill. The arbiter counts the permits left in the bucket: 0 if the
 * owner got the permit, 1 if it did not. r1 = the owner's outcome, r2 = permits left.
 */
@JCStressTest
@Outcome(id = "cancelled, 1", expect = ACCEPTABLE, desc = "the cancellation stopped the owner; its permit stayed in the bucket or was given back")
@Outcome(id = "acquired, 0", expect = ACCEPTABLE, desc = "the owner passed its cancellation check before the cancel and found the refill")
@Outcome(expect = FORBIDDEN, desc = "a permit lost or duplicated, the owner interrupted, or never woken")
@State
public class RateLimiterWaiterRacingCancel {
    final ManualTime time = new ManualTime();
    final RateLimiter limiter = RateLimiter.of(1000, 1, time);
    volatile Scope published;

    public RateLimiterWaiterRacingCancel() {
        if (!limiter.tryAcquire()) {
            throw new AssertionError("a fresh limiter is full");
        }
    }

    @Actor
    public void owner(LI_Result r) {
        r.r1 = OwnerCall.inScope(scope -> published = scope, () -> {
            limiter.acquire();
            return "acquired";
        });
    }

    @Actor
    public void cancellerThenAdvancer() {
        Spin.until(() -> published).cancel();
        time.advance(Duration.ofMillis(1));
    }

    @Arbiter
    public void arbiter(LI_Result r) {
        int left = 0;
        while (limiter.tryAcquire()) {
            left++;
        }
        r.r2 = left;
    }
}
