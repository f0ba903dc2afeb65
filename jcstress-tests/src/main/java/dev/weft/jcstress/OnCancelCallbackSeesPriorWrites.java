package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Context;
import dev.weft.Scope;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Context}, "Memory consistency effects": <em>"actions in a thread prior to
 * cancelling a context [...] happen-before an {@code onCancel} callback runs"</em>, and
 * {@code Context.onCancel}: "runs {@code callback} once [...] when this context is cancelled, or at
 * once (on its own thread) if it already is".
 *
 * <p>The owner publishes its scope, registers a callback (racing the cancellation), writes plain
 * field y and closes the scope (which cancels it if nothing did before). Another actor writes
 * plain field x and cancels the scope with its own cause. The callback records the cause it finds,
 * x and y. Whoever cancelled first, the callback must see that thread's prior write: x for the
 * canceller's cause, y for the owner's close. The arbiter waits (at most 10 s) for the callback,
 * which runs on its own thread, and checks it ran exactly once.
 *
 * <p>Outcome: {@code cause=<canceller|close> x=<x> y=<y> runs=<count>}.
 */
@JCStressTest
@Outcome(id = "cause=canceller x=1 y=[01] runs=1", expect = ACCEPTABLE,
        desc = "the canceller cancelled first; the callback sees its prior write")
@Outcome(id = "cause=close x=[01] y=1 runs=1", expect = ACCEPTABLE,
        desc = "the owner's close cancelled first; the callback sees the owner's prior write")
@Outcome(expect = FORBIDDEN, desc = "the callback missed a write made before the cancellation that ran it, "
        + "ran more than once, or never ran within 10 s")
@State
public class OnCancelCallbackSeesPriorWrites {

    /** The canceller's cause. */
    static final class Cause extends RuntimeException {
        Cause() {
            super("the canceller's cause", null, false, false);
        }
    }

    volatile Scope published;
    int x;
    int y;
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch ran = new CountDownLatch(1);
    volatile String seen = "none";

    @Actor
    public void owner() {
        try (Scope scope = Scope.open()) {
            Context context = scope.context();
            published = scope;
            context.onCancel(() -> {
                Throwable cause = context.cause().orElse(null);
                String by = cause instanceof Cause ? "canceller" : cause != null ? "close" : "none";
                seen = "cause=" + by + " x=" + x + " y=" + y;
                runs.incrementAndGet();
                ran.countDown();
            });
            y = 1;
        }
    }

    @Actor
    public void canceller() {
        Scope scope = Spin.until(() -> published);
        x = 1;
        scope.cancel(new Cause());
    }

    @Arbiter
    public void arbiter(L_Result r) {
        boolean done;
        try {
            done = ran.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        r.r1 = (done ? seen : "timeout") + " runs=" + runs.get();
    }
}
