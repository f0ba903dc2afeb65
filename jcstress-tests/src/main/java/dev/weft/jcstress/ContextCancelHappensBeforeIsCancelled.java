package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Context;
import dev.weft.Scope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Context}, "Memory consistency effects": <em>"actions in a thread prior to
 * cancelling a context (by {@code Scope#cancel} [...]) happen-before another thread's
 * {@code isCancelled()} returns true or its {@code cause()} returns the cause"</em>, and
 * {@code Scope.cancel(Throwable)}: the cause given is the cause observed.
 *
 * <p>The canceller writes a plain field, builds a cause whose plain field it sets, and calls
 * {@code scope.cancel(cause)}. The owner, on its own thread, reads {@code isCancelled()}, the field,
 * {@code cause()}, and the field again. Outcome: {@code isCancelled=<0|1> x=<field>
 * cause=<none|mine(payload)> x=<field>}.
 */
@JCStressTest
@Outcome(id = "isCancelled=0 x=[01] cause=none x=[01]", expect = ACCEPTABLE, desc = "observed before the cancellation")
@Outcome(id = "isCancelled=0 x=[01] cause=mine\\(1\\) x=1", expect = ACCEPTABLE,
        desc = "cancelled between the two observations; the cause and every prior write are visible")
@Outcome(id = "isCancelled=1 x=1 cause=mine\\(1\\) x=1", expect = ACCEPTABLE,
        desc = "observed after the cancellation; the cause and every prior write are visible")
@Outcome(expect = FORBIDDEN, desc = "isCancelled() or cause() reported the cancellation but a write made before it is not visible, "
        + "or the cause is not the one given")
@State
public class ContextCancelHappensBeforeIsCancelled {

    /** A cause with a plain field, written before the cancel. */
    static final class Cause extends RuntimeException {
        int payload;

        Cause() {
            super("the canceller's cause", null, false, false);
        }
    }

    volatile Scope published;
    int written;

    @Actor
    public void owner(L_Result r) {
        String outcome;
        try (Scope scope = Scope.open()) {
            Context context = scope.context();
            published = scope;
            boolean cancelled = Observe.briefly(context);
            int x1 = written;
            Throwable cause = context.cause().orElse(null);
            int x2 = written;
            outcome = "isCancelled=" + Outcomes.bit(cancelled) + " x=" + x1 + " cause=" + describe(cause) + " x=" + x2;
        } catch (Throwable t) {
            outcome = "unexpected " + Outcomes.name(t);
        }
        r.r1 = outcome;
    }

    @Actor
    public void canceller() {
        Scope scope = Spin.until(() -> published);
        written = 1;
        Cause cause = new Cause();
        cause.payload = 1;
        scope.cancel(cause);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "none";
        }
        return cause instanceof Cause mine ? "mine(" + mine.payload + ")" : Outcomes.name(cause);
    }
}
