package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves the wake-up protocol of the system timer queue (ADR 0013, "a timer never waits behind a
 * later one") together with {@code TimeSource}, "Memory consistency effects": <em>"actions in a
 * thread prior to {@code schedule} happen-before the scheduled action runs"</em>.
 *
 * <p>The timer thread sleeps until a timer a day away (scheduled once per VM), or runs the previous
 * sample's actions. Two actors each write a plain field and schedule an action due at once that
 * reads it; both schedules race each other and the timer thread going to sleep (the Dekker pair of
 * the protocol). The arbiter waits up to 10 s for both actions: a lost wake-up would leave them
 * for a day. r1, r2 = the field each action saw, or -2 if it did not run within 10 s.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both actions ran at once and saw the writes made before schedule")
@Outcome(expect = FORBIDDEN, desc = "an action waited behind the day-long timer (lost wake-up), or missed a write made before schedule")
@State
public class SystemTimerWakesForEarlierTimers {
    static {
        TimeSource.system().schedule(Duration.ofDays(1), () -> { });
    }

    final CountDownLatch ran = new CountDownLatch(2);
    int first;
    int second;
    int seenFirst = -2;
    int seenSecond = -2;

    @Actor
    public void one() {
        first = 1;
        TimeSource.system().schedule(Duration.ZERO, () -> {
            seenFirst = first;
            ran.countDown();
        });
    }

    @Actor
    public void two() {
        second = 1;
        TimeSource.system().scheduleAt(System.nanoTime(), () -> {
            seenSecond = second;
            ran.countDown();
        });
    }

    @Arbiter
    public void arbiter(II_Result r) {
        try {
            ran.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.r1 = seenFirst;
        r.r2 = seenSecond;
    }
}
