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
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Proves {@code TimeSource}, "Memory consistency effects": <em>"actions in a thread prior to
 * {@code schedule} happen-before the scheduled action runs"</em>, for {@code TimeSource.system()},
 * whose actions run on its own timer thread.
 *
 * <p>The actor writes a plain field and schedules (zero delay) an action that reads it on the timer
 * thread and then opens a latch. The arbiter waits for the latch: r1 = the field as the action saw
 * it, or -2 if the action did not run within 10 s.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "the action on the timer thread saw the write made before schedule")
@Outcome(id = "0", expect = FORBIDDEN, desc = "the action missed a write made before schedule")
@Outcome(id = "-2", expect = FORBIDDEN, desc = "the action never ran")
@State
public class SystemTimeScheduleHappensBeforeAction {
    final CountDownLatch ran = new CountDownLatch(1);
    int written;
    int seen = -1;

    @Actor
    public void scheduler() {
        written = 1;
        TimeSource.system().schedule(Duration.ZERO, () -> {
            seen = written;
            ran.countDown();
        });
    }

    @Arbiter
    public void arbiter(I_Result r) {
        try {
            r.r1 = ran.await(10, TimeUnit.SECONDS) ? seen : -2;
        } catch (InterruptedException e) {
            r.r1 = -3;
        }
    }
}
