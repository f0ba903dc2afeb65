package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Context;
import dev.weft.Scope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Proves {@code Scope.cancel(Throwable)}: <em>"the first cause wins and never changes"</em>, and
 * {@code Context.cause()}: <em>"Set once: it never changes after it is first observed"</em>, with
 * two threads cancelling at once with different causes.
 *
 * <p>The owner and another actor each cancel the scope with their own cause and read
 * {@code cause()} right after; the arbiter reads it once more (after the owner closed the scope).
 * r1 = owner's view, r2 = other's view, r3 = final.
 */
@JCStressTest
@Outcome(id = "A, A, A", expect = ACCEPTABLE, desc = "the owner's cause won, and everyone sees it")
@Outcome(id = "B, B, B", expect = ACCEPTABLE, desc = "the other actor's cause won, and everyone sees it")
@Outcome(expect = FORBIDDEN, desc = "two threads saw different causes, or the cause changed")
@State
public class FirstCancelCauseWins {
    final IllegalStateException causeA = new IllegalStateException("A");
    final IllegalStateException causeB = new IllegalStateException("B");
    volatile Scope published;
    Context context;

    @Actor
    public void owner(LLL_Result r) {
        try (Scope scope = Scope.open()) {
            context = scope.context();
            published = scope;
            scope.cancel(causeA);
            r.r1 = which(scope.context().cause().orElse(null));
        } catch (Throwable t) {
            r.r1 = "unexpected " + Outcomes.name(t);
        }
    }

    @Actor
    public void other(LLL_Result r) {
        Scope scope = Spin.until(() -> published);
        scope.cancel(causeB);
        r.r2 = which(scope.context().cause().orElse(null));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = context == null ? "no context" : which(context.cause().orElse(null));
    }

    private String which(Throwable t) {
        return t == causeA ? "A" : t == causeB ? "B" : String.valueOf(t);
    }
}
