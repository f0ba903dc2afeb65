package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.ManualTime;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LI_Result;

/**
 * Proves {@code ManualTime} (and {@code TimeSource}), "Memory consistency effects": <em>"actions
 * in a thread prior to {@code schedule} happen-before the scheduled action runs"</em>, when the
 * action runs on another thread (the one that advances the clock).
 *
 * <p>The scheduler raises a volatile "ready" flag first (so that the flag itself orders nothing
 * that matters), then writes a plain field and schedules an action 1 ms ahead that reads it. The
 * advancer waits for the flag and advances the clock by 1 s: if the action was already scheduled
 * it runs there and must see the field. If the advance came before the schedule, the action is
 * still pending and the arbiter runs it (r1 = "arbiter"; its view of the field proves nothing).
 * r1 = who ran it, r2 = the field as the action saw it.
 */
@JCStressTest
@Outcome(id = "advancer, 1", expect = ACCEPTABLE, desc = "the advancing thread ran the action, which saw the write made before schedule")
@Outcome(id = "arbiter, 1", expect = ACCEPTABLE, desc = "the advance came before the schedule; the arbiter ran the action")
@Outcome(expect = FORBIDDEN, desc = "the action, run by the advancing thread, missed a write made before schedule")
@State
public class ManualTimeScheduleHappensBeforeAction {
    final ManualTime time = new ManualTime();
    volatile boolean ready;
    volatile boolean advancerDone;
    int written;
    String ranBy = "nobody";
    int seen = -1;

    @Actor
    public void scheduler() {
        ready = true;
        written = 1;
        time.schedule(Duration.ofMillis(1), () -> {
            ranBy = advancerDone ? "arbiter" : "advancer";
            seen = written;
        });
    }

    @Actor
    public void advancer() {
        Spin.until(() -> ready);
        time.advance(Duration.ofSeconds(1));
        advancerDone = true;
    }

    @Arbiter
    public void arbiter(LI_Result r) {
        time.advance(Duration.ofSeconds(1));
        r.r1 = ranBy;
        r.r2 = seen;
    }
}
