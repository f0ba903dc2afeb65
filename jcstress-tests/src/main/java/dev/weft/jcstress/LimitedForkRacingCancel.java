package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.CancelledException;
import dev.weft.Scope;
import dev.weft.Subtask;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves, for a {@code fork} that waits for a slot racing the scope's {@code cancel}:
 * {@code Scope.fork}, <em>"If the scope is cancelled before the task could start, including while
 * this call waits for a slot, the task never runs and its subtask is CANCELLED"</em>; that the
 * wait is woken by the cancellation without an interrupt (the owner is never interrupted); and
 * that {@code join} reports the cancellation.
 *
 * <p>A scope with a limit of 1; its only slot is held by a task that blocks until it is
 * interrupted. The owner publishes the scope and forks a second task, which must wait for the
 * slot; the other actor cancels the scope. Depending on the timing the cancel lands before the
 * fork, while it queues, while it is parked, or as the holder's slot is handed to it: in every case
 * the second task must never run. If the fork never woke up, the sample would hang and jcstress
 * reports it as an error.
 *
 * <p>Outcome: {@code second=<state> ran=<0|1> holder=<state> join=<exception> interrupted=<0|1>}.
 */
@JCStressTest
@Outcome(id = "second=CANCELLED ran=0 holder=CANCELLED join=CancelledException interrupted=0", expect = ACCEPTABLE,
        desc = "the waiting fork was cancelled and never ran; the owner was not interrupted")
@Outcome(expect = FORBIDDEN, desc = "a fork whose scope was cancelled ran, the owner was interrupted, "
        + "or a state or join outcome disagrees")
@State
public class LimitedForkRacingCancel {
    volatile Scope published;
    volatile boolean ran;

    @Actor
    public void owner(L_Result r) {
        Subtask<Void> holder = null;
        Subtask<Void> second = null;
        String join = "ok";
        try (Scope scope = Scope.open(c -> c.withLimit(1))) {
            holder = scope.fork(Tasks::blockUntilInterrupted);
            published = scope;
            second = scope.fork(() -> {
                ran = true;
            });
            try {
                scope.join();
            } catch (CancelledException e) {
                join = Outcomes.name(e);
            }
        } catch (Throwable t) {
            join = "unexpected " + Outcomes.name(t);
        }
        r.r1 = "second=" + Outcomes.state(second) + " ran=" + Outcomes.bit(ran) + " holder=" + Outcomes.state(holder)
                + " join=" + join + " interrupted=" + Outcomes.bit(Thread.interrupted());
    }

    @Actor
    public void canceller() {
        Spin.until(() -> published).cancel();
    }
}
