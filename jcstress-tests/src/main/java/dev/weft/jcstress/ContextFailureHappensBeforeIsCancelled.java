package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Context;
import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Context}, "Memory consistency effects": <em>"actions in a thread prior to
 * cancelling a context (by [...] a failing task [...]) happen-before another thread's
 * {@code isCancelled()} returns true or its {@code cause()} returns the cause"</em>, and
 * {@code Context.cause()}: "the first failure of a fail-fast scope".
 *
 * <p>The owner forks a task that writes a plain field and throws an exception whose plain field it
 * set; the failure cancels the (fail-fast) scope. Another actor, which is neither the owner nor
 * the task, reads {@code isCancelled()}, the field, {@code cause()} and the field again.
 * Outcome: {@code isCancelled=<0|1> x=<field> cause=<none|failure(payload)> x=<field> join=<what the
 * owner's join threw>}.
 */
@JCStressTest
@Outcome(id = "isCancelled=0 x=[01] cause=none x=[01] join=ScopeFailedException", expect = ACCEPTABLE,
        desc = "observed before the failure")
@Outcome(id = "isCancelled=0 x=[01] cause=failure\\(1\\) x=1 join=ScopeFailedException", expect = ACCEPTABLE,
        desc = "the failure came between the two observations; it and every prior write are visible")
@Outcome(id = "isCancelled=1 x=1 cause=failure\\(1\\) x=1 join=ScopeFailedException", expect = ACCEPTABLE,
        desc = "observed after the failure; it and every prior write are visible")
@Outcome(expect = FORBIDDEN, desc = "the cancellation is visible but a write the failing task made before it is not, "
        + "or the cause is not the failure")
@State
public class ContextFailureHappensBeforeIsCancelled {

    /** A task failure with a plain field, written before it is thrown. */
    static final class Failure extends RuntimeException {
        int payload;

        Failure() {
            super("task failure", null, false, false);
        }
    }

    volatile Context published;
    volatile String join;
    int written;

    @Actor
    public void owner() {
        String result = "returned";
        try (Scope scope = Scope.open()) {
            published = scope.context();
            scope.fork(() -> {
                written = 1;
                Failure f = new Failure();
                f.payload = 1;
                throw f;
            });
            try {
                scope.join();
            } catch (ScopeFailedException e) {
                result = Outcomes.name(e);
            }
        } catch (Throwable t) {
            result = "unexpected " + Outcomes.name(t);
        }
        join = result;
    }

    @Actor
    public void observer(L_Result r) {
        Context context = Spin.until(() -> published);
        boolean cancelled = Observe.briefly(context);
        int x1 = written;
        Throwable cause = context.cause().orElse(null);
        int x2 = written;
        String c = cause == null ? "none" : cause instanceof Failure f ? "failure(" + f.payload + ")" : Outcomes.name(cause);
        r.r1 = "isCancelled=" + Outcomes.bit(cancelled) + " x=" + x1 + " cause=" + c + " x=" + x2;
    }

    @org.openjdk.jcstress.annotations.Arbiter
    public void arbiter(L_Result r) {
        r.r1 = r.r1 + " join=" + join;
    }
}
