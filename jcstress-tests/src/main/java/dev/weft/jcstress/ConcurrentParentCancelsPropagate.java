package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Context;
import dev.weft.Scope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proves {@code Scope.cancel(Throwable)}: <em>"Cancels the scope with {@code cause}, unless already
 * cancelled [...] Unfinished tasks are interrupted, and nested scopes are cancelled before this
 * method returns"</em> when two threads cancel the same parent at once: the call that loses the
 * race must not return before the nested scope is cancelled either.
 *
 * <p>The owner opens a parent and a child scope and publishes both; then the owner and another
 * actor both call {@code parent.cancel(cause)} and, as soon as it returns, read the child's
 * {@code isCancelled()}. The owner closes the scopes only after the other actor has looked.
 * r1 = what the owner saw, r2 = what the other actor saw.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "after either cancel returned, the child was cancelled")
@Outcome(expect = FORBIDDEN, desc = "a parent.cancel(cause) returned before the child scope was cancelled")
@State
public class ConcurrentParentCancelsPropagate {
    volatile Scope parentPublished;
    volatile Context childPublished;
    volatile boolean otherLooked;

    @Actor
    public void owner(II_Result r) {
        try (Scope parent = Scope.open()) {
            try (Scope child = Scope.open()) {
                childPublished = child.context();
                parentPublished = parent;
                parent.cancel(new IllegalStateException("owner's cause"));
                r.r1 = Outcomes.bit(child.context().isCancelled());
                Spin.until(() -> otherLooked);
            }
        } catch (Throwable t) {
            r.r1 = -1;
        }
    }

    @Actor
    public void other(II_Result r) {
        Scope parent = Spin.until(() -> parentPublished);
        Context child = childPublished;
        parent.cancel(new IllegalStateException("other's cause"));
        r.r2 = Outcomes.bit(child.isCancelled());
        otherLooked = true;
    }
}
