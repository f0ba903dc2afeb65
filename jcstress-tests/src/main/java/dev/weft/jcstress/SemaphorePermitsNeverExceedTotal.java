package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Proves that a {@code Semaphore} never lets the permits in use exceed its total, with weighted
 * requests racing: on a semaphore of 2, one actor takes 2 permits while the other takes 1. Each
 * adds its weight to a shared counter right after acquiring and reads the sum, then subtracts it
 * before releasing. The arbiter counts the free permits at the end (all 2 must be back).
 *
 * <p>r1 = the sum the 2-permit actor saw, r2 = the sum the 1-permit actor saw, r3 = free permits
 * at the end.
 */
@JCStressTest
@Outcome(id = "2, 1, 2", expect = ACCEPTABLE, desc = "the two requests held their permits one after the other")
@Outcome(expect = FORBIDDEN, desc = "3 permits in use on a semaphore of 2, or permits lost")
@State
public class SemaphorePermitsNeverExceedTotal {
    final Semaphore semaphore = new Semaphore(2);
    final AtomicInteger inUse = new AtomicInteger();

    @Actor
    public void large(III_Result r) {
        r.r1 = holdAndLook(2);
    }

    @Actor
    public void small(III_Result r) {
        r.r2 = holdAndLook(1);
    }

    private int holdAndLook(int n) {
        try {
            semaphore.acquire(n);
        } catch (InterruptedException e) {
            return -1;
        }
        try {
            return inUse.addAndGet(n);
        } finally {
            inUse.addAndGet(-n);
            semaphore.release(n);
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        int free = 0;
        while (semaphore.tryAcquire(1)) {
            free++;
        }
        r.r3 = free;
    }
}
