package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.time.ManualTime;
import dev.weft.time.Sleep;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code Sleep}, "Memory consistency effects": <em>"On {@code ManualTime}, actions in a
 * thread prior to an {@code advance} that reaches a sleep's end happen-before that sleep
 * returns"</em>, and that an {@code advance} racing {@code sleepUntil} never loses the wake-up:
 * the sleep is scheduled at its absolute due time, so the advance either wakes it or has already
 * moved the clock past it. The wake-up never stays pending.
 *
 * <p>The sleeper sleeps until 1 ms on a fresh {@code ManualTime} and reads a plain field. The
 * advancer writes the field, then advances the clock by 1 ms. A lost wake-up would leave the
 * sleeper parked for ever (the run would hang and fail). r1 = the field, r2 = pending timers.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the sleep ended at the advance and saw the write made before it")
@Outcome(expect = FORBIDDEN, desc = "the sleep returned before the advance, missed a write, or left its wake-up pending")
@State
public class SleepUntilRacingAdvance {
    final ManualTime time = new ManualTime();
    int written;

    @Actor
    public void sleeper(II_Result r) {
        try (Scope scope = Scope.open(c -> c.withTimeSource(time))) {
            Sleep.sleepUntil(1_000_000L);
            r.r1 = written;
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }

    @Actor
    public void advancer() {
        written = 1;
        time.advance(Duration.ofMillis(1));
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = time.pending();
    }
}
