package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.ManualTime;
import dev.weft.time.TimeSource;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZII_Result;

/**
 * Proves {@code TimeSource.Scheduled.cancel()}: <em>"@return true if this call prevented the
 * action; false if it has already run, is running, or was cancelled before"</em>, for
 * {@link ManualTime}, with {@code cancel()} racing the {@code advance} that makes the action due:
 * the action is either run by advance or prevented by cancel, never both, never neither; and
 * {@code ManualTime}: "actions of a scheduled action happen-before the {@code advance} call that
 * ran it returns" (the run count is read after both actors ended).
 *
 * <p>One actor schedules an action 1 ms ahead, publishes the handle and cancels it; the other
 * waits for the handle and advances the clock by 1 s. The arbiter reads how many times the action
 * ran and what {@link ManualTime#pending()} says. r1 = cancel(), r2 = runs, r3 = pending.
 */
@JCStressTest
@Outcome(id = "true, 0, 0", expect = ACCEPTABLE, desc = "cancel came first and prevented the action")
@Outcome(id = "false, 1, 0", expect = ACCEPTABLE, desc = "advance ran the action first; cancel reported it could not prevent it")
@Outcome(expect = FORBIDDEN, desc = "both, neither, the action ran twice, or it is still pending")
@State
public class ManualTimeActionRunsOrIsCancelled {
    final ManualTime time = new ManualTime();
    volatile TimeSource.Scheduled published;
    int runs;

    @Actor
    public void scheduler(ZII_Result r) {
        TimeSource.Scheduled scheduled = time.schedule(Duration.ofMillis(1), () -> runs++);
        published = scheduled;
        r.r1 = scheduled.cancel();
    }

    @Actor
    public void advancer() {
        Spin.until(() -> published);
        time.advance(Duration.ofSeconds(1));
    }

    @Arbiter
    public void arbiter(ZII_Result r) {
        r.r2 = runs;
        r.r3 = time.pending();
    }
}
