package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Par;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code Par}, "Memory consistency effects": <em>"the results {@code [...]} {@code race}
 * return[s] are fully visible to the caller"</em>, when the two tasks race to win.
 *
 * <p>Two tasks each mark that they started, return a new box whose plain field they set after
 * construction (1 or 2), and mark that they ended. The caller reads the field of the winner: r1;
 * r2 = 1 if the loser either never started (it was cancelled first) or had ended when race
 * returned.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the first task won; its writes are visible and the loser is done")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "the second task won; its writes are visible and the loser is done")
@Outcome(expect = FORBIDDEN, desc = "the winner's writes were not visible, the loser was still running, or something threw")
@State
public class ParRaceWinnerVisible {
    final boolean[] started = new boolean[3];
    final boolean[] ended = new boolean[3];

    private Callable<Box> task(int n) {
        return () -> {
            started[n] = true;
            Box b = new Box();
            b.value = n;
            ended[n] = true;
            return b;
        };
    }

    @Actor
    public void caller(II_Result r) {
        try {
            Box winner = Par.race(List.of(task(1), task(2)));
            int loser = 3 - winner.value;
            r.r1 = winner.value;
            r.r2 = Outcomes.bit(!started[loser] || ended[loser]);
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }
}
