package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Context;
import dev.weft.Scope;
import dev.weft.time.ManualTime;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves, for a scope opened while another thread advances its {@link ManualTime}:
 * {@code ManualTime}, <em>"every deadline in that scope and its nested scopes becomes virtual"</em>
 * and {@code advance}: <em>"runs every scheduled action whose due time falls inside the advanced
 * interval"</em>; i.e. once an {@code advance} that moved the clock past a scope's deadline has
 * returned, that scope is cancelled. {@code Context.remaining()} ("zero once it has passed") tells
 * whether the clock is past the deadline.
 *
 * <p>The owner opens a scope with a 1 s timeout on the manual clock while the other actor advances
 * the clock by 2 s (no waiting: the advance may fall before, inside or after the open). The owner
 * then waits until the advance has returned and reads {@code remaining()} and
 * {@code isCancelled()}. Outcome: {@code passed=<remaining is zero> cancelled=<isCancelled>}.
 */
@JCStressTest
@Outcome(id = "passed=0 cancelled=0", expect = ACCEPTABLE, desc = "the advance came before the open: the deadline is still 1 s ahead")
@Outcome(id = "passed=1 cancelled=1", expect = ACCEPTABLE, desc = "the advance passed the deadline and fired it")
@Outcome(expect = FORBIDDEN, desc = "the clock is past the scope's deadline after the advance returned, but the scope is not cancelled")
@State
public class ManualTimeAdvanceFiresPassedDeadline {
    final ManualTime time = new ManualTime();
    volatile boolean advanced;

    @Actor
    public void owner(L_Result r) {
        String outcome;
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
            Spin.until(() -> advanced);
            Context context = scope.context();
            boolean passed = context.remaining().orElseThrow().isZero();
            outcome = "passed=" + Outcomes.bit(passed) + " cancelled=" + Outcomes.bit(context.isCancelled());
        } catch (Throwable t) {
            outcome = "unexpected " + Outcomes.name(t);
        }
        r.r1 = outcome;
    }

    @Actor
    public void advancer() {
        time.advance(Duration.ofSeconds(2));
        advanced = true;
    }
}
