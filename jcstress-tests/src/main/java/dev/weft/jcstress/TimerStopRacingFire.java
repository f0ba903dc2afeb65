package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.ManualTime;
import dev.weft.time.Timer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZII_Result;

/**
 * Proves, for {@code Timer.afterFunc}: {@code stop()} <em>"@return true if this call stopped it:
 * [...] the function had not been started"</em> with {@code stop()} racing the fire, i.e. stop's
 * result agrees with whether the function ran; and "Memory consistency effects": <em>"actions in a
 * thread prior to [...] {@code reset} happen-before the function of that arming starts"</em>.
 *
 * <p>The timer is armed an hour ahead on a {@link ManualTime}. One actor raises a "ready" flag,
 * writes a plain field, resets the timer to 1 s and stops it; the other waits for the flag and
 * advances the clock by 1 s, which fires the function if the reset came first and the stop did not.
 * The function reads the field. If stop returned false the arbiter waits (up to 10 s) for the
 * function. r1 = stop(), r2 = runs, r3 = the field as the function saw it (-1: never ran).
 */
@JCStressTest
@Outcome(id = "true, 0, -1", expect = ACCEPTABLE, desc = "stop came before the fire (or the advance before the reset): the function never ran")
@Outcome(id = "false, 1, 1", expect = ACCEPTABLE, desc = "the fire won: the function ran once and saw the write made before reset")
@Outcome(expect = FORBIDDEN, desc = "stop's result disagrees with whether the function ran, it ran twice, or it missed the write")
@State
public class TimerStopRacingFire {
    final ManualTime time = new ManualTime();
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch ran = new CountDownLatch(1);
    volatile boolean ready;
    int written;
    int seen = -1;
    boolean stopped;
    final Timer timer = Timer.afterFunc(Duration.ofHours(1), () -> {
        seen = written;
        runs.incrementAndGet();
        ran.countDown();
    }, time);

    @Actor
    public void resetThenStop() {
        ready = true;
        written = 1;
        timer.reset(Duration.ofSeconds(1));
        stopped = timer.stop();
    }

    @Actor
    public void advancer() {
        Spin.until(() -> ready);
        time.advance(Duration.ofSeconds(1));
    }

    @Arbiter
    public void arbiter(ZII_Result r) {
        r.r1 = stopped;
        if (!stopped) {
            try {
                ran.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        r.r2 = runs.get();
        r.r3 = seen;
    }
}
