package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import dev.weft.Subtask;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@link ScopeFailedException}: <em>"{@code getCause()} is the first failure and every other
 * failure of the scope's tasks is suppressed on this exception. Nothing is lost."</em>, with two
 * tasks of a fail-fast scope failing at the same moment.
 *
 * <p>Both tasks wait for a start flag the owner sets after forking both, then throw their own
 * exception. The first failure cancels the scope, so the other task may be cancelled before it
 * starts (then it never ran, never failed, and is CANCELLED). Whatever the order: join throws
 * ScopeFailedException, its cause is one of the failures, every other failure is suppressed
 * exactly once, the cause is not also suppressed, and each task that ran is FAILED with its own
 * exception.
 *
 * <p>Outcome: {@code cause=<A|B> suppressed=<A|B|-> A=<ran><state> B=<ran><state>}, where a state
 * FAILED is printed only if {@code exception()} is that task's own exception.
 */
@JCStressTest
@Outcome(id = "cause=A suppressed=B A=1FAILED B=1FAILED", expect = ACCEPTABLE, desc = "both failed, A first")
@Outcome(id = "cause=B suppressed=A A=1FAILED B=1FAILED", expect = ACCEPTABLE, desc = "both failed, B first")
@Outcome(id = "cause=A suppressed=- A=1FAILED B=0CANCELLED", expect = ACCEPTABLE,
        desc = "A failed first and cancelled B before it started")
@Outcome(id = "cause=B suppressed=- A=0CANCELLED B=1FAILED", expect = ACCEPTABLE,
        desc = "B failed first and cancelled A before it started")
@Outcome(expect = FORBIDDEN, desc = "a failure was lost or reported twice, the cause is also suppressed, "
        + "or a subtask state disagrees with what the task did")
@State
public class TwoFailuresOneCauseOtherSuppressed {
    final IllegalStateException failureA = new IllegalStateException("A");
    final IllegalStateException failureB = new IllegalStateException("B");
    volatile boolean go;
    int ranA;
    int ranB;

    @Actor
    public void owner(L_Result r) {
        Subtask<Void> a = null;
        Subtask<Void> b = null;
        String outcome = "join returned";
        try (Scope scope = Scope.open()) {
            a = scope.fork(() -> {
                Spin.until(() -> go);
                ranA = 1;
                throw failureA;
            });
            b = scope.fork(() -> {
                Spin.until(() -> go);
                ranB = 1;
                throw failureB;
            });
            go = true;
            try {
                scope.join();
            } catch (ScopeFailedException e) {
                outcome = "cause=" + which(e.getCause()) + " suppressed=" + suppressed(e.getSuppressed());
            }
        } catch (Throwable t) {
            outcome = "unexpected " + Outcomes.name(t);
        }
        r.r1 = outcome + " A=" + ranA + state(a, failureA) + " B=" + ranB + state(b, failureB);
    }

    private String which(Throwable t) {
        return t == failureA ? "A" : t == failureB ? "B" : String.valueOf(t);
    }

    private String suppressed(Throwable[] all) {
        if (all.length == 0) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (Throwable t : all) {
            sb.append(which(t));
        }
        return sb.toString();
    }

    private static String state(Subtask<Void> s, Throwable own) {
        if (s == null) {
            return "-";
        }
        Subtask.State st = s.state();
        if (st == Subtask.State.FAILED && s.exception() != own) {
            return "FAILED(with " + s.exception() + ")";
        }
        return st.name();
    }
}
