package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.Scope;
import dev.weft.time.ManualTime;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Context}, "Memory consistency effects": <em>"actions in a thread prior to
 * cancelling a context (by [...] a passed deadline [...]) happen-before another thread's
 * {@code isCancelled()} returns true or its {@code cause()} returns the cause"</em>, where the
 * deadline is passed by {@link ManualTime#advance} on the advancing thread, and
 * {@code Context.cause()}: "a DeadlineExceededException".
 *
 * <p>The owner opens a scope with a 1 s timeout on a manual clock; another actor writes a plain
 * field and advances the clock by 2 s. The owner reads {@code isCancelled()}, the field,
 * {@code cause()} and the field again. Outcome: {@code isCancelled=<0|1> x=<field>
 * cause=<none|DEE> x=<field>}.
 */
@JCStressTest
@Outcome(id = "isCancelled=0 x=[01] cause=none x=[01]", expect = ACCEPTABLE, desc = "observed before the deadline fired")
@Outcome(id = "isCancelled=0 x=[01] cause=DEE x=1", expect = ACCEPTABLE,
        desc = "the deadline fired between the two observations; every write before the advance is visible")
@Outcome(id = "isCancelled=1 x=1 cause=DEE x=1", expect = ACCEPTABLE,
        desc = "observed after the deadline fired; every write before the advance is visible")
@Outcome(expect = FORBIDDEN, desc = "the deadline's cancellation is visible but a write made before the advance is not, "
        + "or the cause is not a DeadlineExceededException")
@State
public class ContextDeadlineHappensBeforeIsCancelled {
    final ManualTime time = new ManualTime();
    volatile Scope published;
    int written;

    @Actor
    public void owner(L_Result r) {
        String outcome;
        try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
            Context context = scope.context();
            published = scope;
            boolean cancelled = Observe.briefly(context);
            int x1 = written;
            Throwable cause = context.cause().orElse(null);
            int x2 = written;
            String c = cause == null ? "none" : cause instanceof DeadlineExceededException ? "DEE" : Outcomes.name(cause);
            outcome = "isCancelled=" + Outcomes.bit(cancelled) + " x=" + x1 + " cause=" + c + " x=" + x2;
        } catch (Throwable t) {
            outcome = "unexpected " + Outcomes.name(t);
        }
        r.r1 = outcome;
    }

    @Actor
    public void advancer() {
        Spin.until(() -> published);
        written = 1;
        time.advance(Duration.ofSeconds(2));
    }
}
