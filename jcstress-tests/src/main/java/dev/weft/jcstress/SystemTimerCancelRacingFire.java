package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

/**
 * Proves {@code TimeSource.Scheduled.cancel()}: <em>"@return true if this call prevented the
 * action; false if it has already run, is running, or was cancelled before"</em>, for
 * {@code TimeSource.system()} (the timer queue of ADR 0013), with {@code cancel()} racing the
 * timer thread that fires the action: exactly one of them wins.
 *
 * <p>One actor schedules an action due at once and publishes its handle; the other cancels it as
 * soon as it sees it, while the timer thread is waking up to run it. If cancel returned false the
 * arbiter waits (up to 10 s) for the action; if it returned true it reads the run count as it is
 * (any run would be a double outcome). r1 = cancel(), r2 = runs.
 */
@JCStressTest
@Outcome(id = "true, 0", expect = ACCEPTABLE, desc = "cancel won: the action never ran")
@Outcome(id = "false, 1", expect = ACCEPTABLE, desc = "the timer thread won: the action ran once, cancel reported it")
@Outcome(expect = FORBIDDEN, desc = "both, neither, or the action ran twice")
@State
public class SystemTimerCancelRacingFire {
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch ran = new CountDownLatch(1);
    volatile TimeSource.Scheduled published;
    boolean cancelled;

    @Actor
    public void scheduler() {
        published = TimeSource.system().schedule(Duration.ZERO, () -> {
            runs.incrementAndGet();
            ran.countDown();
        });
    }

    @Actor
    public void canceller() {
        cancelled = Spin.until(() -> published).cancel();
    }

    @Arbiter
    public void arbiter(ZI_Result r) {
        r.r1 = cancelled;
        if (!cancelled) {
            try {
                ran.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        r.r2 = runs.get();
    }
}
