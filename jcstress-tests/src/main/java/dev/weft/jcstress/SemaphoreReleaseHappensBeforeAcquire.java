package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code Semaphore}, "Memory consistency effects": <em>"actions in a thread prior to
 * {@code release} happen-before actions following an {@code acquire} or {@code tryAcquire} in
 * another thread that obtains any of the released permits"</em>, for both ways of obtaining them.
 *
 * <p>The semaphore's only permit is held from the start. The releaser writes two plain fields and
 * releases it. The acquirer first tries {@code tryAcquire(1)}: if that gets the permit it reads the
 * first field (r1), else r1 = -1; then, if it still has no permit, it blocks in {@code acquire(1)}
 * (queued, or taking the permit at once) and reads the second field (r2).
 */
@JCStressTest
@Outcome(id = "1, -1", expect = ACCEPTABLE, desc = "tryAcquire got the released permit and saw the write")
@Outcome(id = "-1, 1", expect = ACCEPTABLE, desc = "acquire got the released permit and saw the write")
@Outcome(expect = FORBIDDEN, desc = "an acquirer that obtained the released permit missed a write made before release")
@State
public class SemaphoreReleaseHappensBeforeAcquire {
    final Semaphore semaphore = new Semaphore(1);
    int first;
    int second;

    public SemaphoreReleaseHappensBeforeAcquire() {
        if (!semaphore.tryAcquire(1)) {
            throw new AssertionError("a fresh semaphore has its permit");
        }
    }

    @Actor
    public void releaser() {
        first = 1;
        second = 1;
        semaphore.release(1);
    }

    @Actor
    public void acquirer(II_Result r) {
        if (semaphore.tryAcquire(1)) {
            r.r1 = first;
            r.r2 = -1;
            return;
        }
        r.r1 = -1;
        try {
            semaphore.acquire(1);
            r.r2 = second;
        } catch (InterruptedException e) {
            r.r2 = -2;
        }
    }
}
