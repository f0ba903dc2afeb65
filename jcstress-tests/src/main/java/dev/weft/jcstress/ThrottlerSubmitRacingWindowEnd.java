package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.ManualTime;
import dev.weft.time.Throttler;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Throttler}, "Memory consistency effects": <em>"actions in a thread prior to
 * {@code submit(v)} happen-before the action runs with {@code v} [...] Each run of the action
 * happens-before the next run starts, and every run happens-before {@code close()} returns"</em>,
 * with a submit racing the end of a window in {@link Throttler.Mode#LATEST}, and that the latest
 * value of a window is never lost.
 *
 * <p>A LATEST throttler with a 1 s period on a {@link ManualTime}; value 0 is submitted at time 0,
 * which runs it at once and opens a window until 1 s. One actor writes a plain field and submits
 * 1; the other advances the clock by 1 s, which ends the window. Either the submit comes first (1
 * is the window's latest value and runs when it ends) or the window ends empty and the submit of
 * 1 opens the next one (and runs at once). Both ways the runs are 0 then 1, exactly once each. The
 * arbiter advances one more second and closes the throttler, which waits for the runs; they are
 * recorded in a {@link RunLog}, read after close. The run with 1 reads the field, and each run
 * checks that no other run is going at the same time (it lingers briefly to give an overlap the
 * chance to show). Outcome: {@code runs=<values> overlap=<0|1> field=<seen>}.
 */
@JCStressTest
@Outcome(id = "runs=[0, 1] overlap=0 field=1", expect = ACCEPTABLE, desc = "0 at once, then 1 at the window's end or as the next window's first")
@Outcome(expect = FORBIDDEN, desc = "a value was lost or ran twice, runs overlapped, or a run missed a write made before its submit")
@State
public class ThrottlerSubmitRacingWindowEnd {
    final ManualTime time = new ManualTime();
    final RunLog runs = new RunLog();
    int field;
    int seen = -1;
    final Throttler<Integer> throttler = Throttler.<Integer>builder(Duration.ofSeconds(1), Throttler.Mode.LATEST, this::run)
            .timeSource(time).build();

    public ThrottlerSubmitRacingWindowEnd() {
        throttler.submit(0);
    }

    private void run(Integer value) {
        runs.run(value, v -> {
            if (v == 1) {
                seen = field;
            }
        });
    }

    @Actor
    public void submitter() {
        field = 1;
        throttler.submit(1);
    }

    @Actor
    public void advancer() {
        time.advance(Duration.ofSeconds(1));
    }

    @Arbiter
    public void arbiter(L_Result r) {
        time.advance(Duration.ofSeconds(1));
        throttler.close();
        r.r1 = runs + " field=" + seen;
    }
}
