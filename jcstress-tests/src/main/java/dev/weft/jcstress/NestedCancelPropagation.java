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
 * Proves {@code Scope.cancel(Throwable)}: <em>"nested scopes are cancelled before this method
 * returns"</em> (and {@code Context}: "the parent's cancellation (propagated before the parent's
 * {@code cancel} returns)"), for a child scope opened before or while the parent is cancelled; and
 * {@code Context}, "Memory consistency effects", for a context cancelled by "a cancelled parent":
 * the canceller's prior writes are visible to a thread that sees the child cancelled.
 *
 * <p>The owner opens a parent scope, publishes it, opens a child scope (racing the cancellation)
 * and publishes the child's context; then it reads the canceller's volatile "cancel returned" flag,
 * the child's {@code isCancelled()} and a plain field the canceller wrote before cancelling. The
 * canceller writes that field, cancels the parent, sets the flag, and then reads the child's
 * {@code isCancelled()} itself, while the child is still open (the owner closes only after that).
 *
 * <p>Outcome: {@code owner: cr=<flag> child=<isCancelled> x=<field> canceller: child=<isCancelled>}.
 */
@JCStressTest
@Outcome(id = "owner: cr=0 child=0 x=[01] canceller: child=1", expect = ACCEPTABLE,
        desc = "the owner looked before the cancellation reached the child")
@Outcome(id = "owner: cr=[01] child=1 x=1 canceller: child=1", expect = ACCEPTABLE,
        desc = "the owner saw the child cancelled, and the canceller's prior write")
@Outcome(expect = FORBIDDEN, desc = "parent.cancel() returned but the child was not cancelled yet (seen by the canceller, or by "
        + "the owner after the flag), or the child is cancelled but the canceller's prior write is not visible")
@State
public class NestedCancelPropagation {

    /** The canceller's cause. */
    static final class Cause extends RuntimeException {
        Cause() {
            super("the canceller's cause", null, false, false);
        }
    }

    volatile Scope parentPublished;
    volatile Context childPublished;
    volatile boolean cancelReturned;
    volatile boolean cancellerLooked;
    volatile String cancellerSaw = "?";
    int written;

    @Actor
    public void owner(L_Result r) {
        String outcome;
        try (Scope parent = Scope.open()) {
            parentPublished = parent;
            try (Scope child = Scope.open()) {
                Context context = child.context();
                childPublished = context;
                boolean cr = cancelReturned;
                boolean cancelled = context.isCancelled();
                int x = written;
                outcome = "owner: cr=" + Outcomes.bit(cr) + " child=" + Outcomes.bit(cancelled) + " x=" + x;
                Spin.until(() -> cancellerLooked);
            }
        } catch (Throwable t) {
            outcome = "unexpected " + Outcomes.name(t);
        }
        r.r1 = outcome + " canceller: child=" + cancellerSaw;
    }

    @Actor
    public void canceller() {
        Scope parent = Spin.until(() -> parentPublished);
        written = 1;
        parent.cancel(new Cause());
        cancelReturned = true;
        Context child = Spin.until(() -> childPublished);
        cancellerSaw = String.valueOf(Outcomes.bit(child.isCancelled()));
        cancellerLooked = true;
    }
}
