package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LI_Result;

/**
 * Proves, for {@code Semaphore.acquire} racing the cancellation of its context and a release:
 * <em>"If permits are granted to a waiter at the moment it is cancelled [...] and it throws, the
 * permits are handed on [...] A call that returns normally holds its permits, and a call that
 * throws holds none"</em>, and that the cancellation wakes the scope's owner without an interrupt.
 *
 * <p>The semaphore has one permit, held from the start. The owner opens a scope, publishes it and
 * calls {@code acquire(1)}, which queues (or, if the release came first, takes the permit at once,
 * or, if the cancel came first, fails at once). The other actor cancels the scope and then releases
 * the permit, so the grant and the cancellation's wake-up race inside the waiter. If the owner got
 * the permit it checks that no second one can be taken, then releases it. The arbiter counts the
 * free permits: exactly one, whatever happened.
 *
 * <p>r1 = the owner's outcome, r2 = free permits at the end.
 */
@JCStressTest
@Outcome(id = "acquired, 1", expect = ACCEPTABLE, desc = "the release reached the owner before the cancellation")
@Outcome(id = "cancelled, 1", expect = ACCEPTABLE, desc = "the cancellation won; the permit was not taken, or was handed on")
@Outcome(expect = FORBIDDEN, desc = "a permit leaked or was duplicated, the owner was interrupted, or it never woke")
@State
public class SemaphoreAcquireRacingCancel {
    final Semaphore semaphore = new Semaphore(1);
    volatile Scope published;

    public SemaphoreAcquireRacingCancel() {
        if (!semaphore.tryAcquire(1)) {
            throw new AssertionError("a fresh semaphore has its permit");
        }
    }

    @Actor
    public void owner(LI_Result r) {
        r.r1 = OwnerCall.inScope(scope -> published = scope, () -> {
            semaphore.acquire(1);
            String acquired = semaphore.tryAcquire(1) ? "acquired twice" : "acquired";
            semaphore.release(1);
            return acquired;
        });
    }

    @Actor
    public void canceller() {
        Spin.until(() -> published).cancel();
        semaphore.release(1);
    }

    @Arbiter
    public void arbiter(LI_Result r) {
        int free = 0;
        while (semaphore.tryAcquire(1)) {
            free++;
        }
        r.r2 = free;
    }
}
