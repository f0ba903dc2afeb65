package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.time.Debouncer;
import dev.weft.time.ManualTime;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves, for {@code Debouncer} with a submit racing the trailing edge: exactly one trailing run
 * carries the last value (<em>"the action runs with the last value submitted since the previous
 * run"</em>), <em>"Runs never overlap"</em>, and "Memory consistency effects": <em>"actions in a
 * thread prior to {@code submit(v)} happen-before the action runs with {@code v} [...] Each run of
 * the action happens-before the next run starts, and every run happens-before {@code close()}
 * returns"</em>.
 *
 * <p>A trailing debouncer with a 1 s quiet period on a {@link ManualTime}; value 0 is submitted at
 * time 0. One actor writes a plain field and submits 1; the other advances the clock by 1 s, which
 * makes the trailing edge due. Either the submit comes first (one run, with 1: the quiet period
 * restarts if the clock had already moved) or the edge runs 0 first and the submit starts a new
 * burst. The arbiter advances one more second and closes the debouncer, which waits for the runs;
 * the runs are recorded in a {@link RunLog}, read after close. The run with 1 reads the field, and
 * each run checks that no other run is going at the same time (it lingers briefly to give an
 * overlap the chance to show). Outcome: {@code runs=<values> overlap=<0|1> field=<seen>}.
 */
@JCStressTest
@Outcome(id = "runs=[1] overlap=0 field=1", expect = ACCEPTABLE, desc = "the submit came before the edge: one run, with the last value")
@Outcome(id = "runs=[0, 1] overlap=0 field=1", expect = ACCEPTABLE, desc = "the edge ran 0 first; the submit of 1 started a new burst")
@Outcome(expect = FORBIDDEN, desc = "the last value was lost or ran twice, runs overlapped, or a run missed a write made before its submit")
@State
public class DebouncerSubmitRacingFire {
    final ManualTime time = new ManualTime();
    final RunLog runs = new RunLog();
    int field;
    int seen = -1;
    final Debouncer<Integer> debouncer = Debouncer.<Integer>builder(Duration.ofSeconds(1), this::run)
            .timeSource(time).build();

    public DebouncerSubmitRacingFire() {
        debouncer.submit(0);
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
        debouncer.submit(1);
    }

    @Actor
    public void advancer() {
        time.advance(Duration.ofSeconds(1));
    }

    @Arbiter
    public void arbiter(L_Result r) {
        time.advance(Duration.ofSeconds(1));
        debouncer.close();
        r.r1 = runs + " field=" + seen;
    }
}
