package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Scope;
import dev.weft.Subtask;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves, for {@code fork} racing {@code cancel}: {@code Scope} Lifecycle, <em>"A fork after
 * cancellation never runs: its subtask is CANCELLED at once"</em>; {@code Scope.cancel(Throwable)},
 * <em>"Unfinished tasks are interrupted [...] before this method returns"</em>; {@code Scope}
 * Cancellation, <em>"A task that ends with an interrupt [...] after the scope was cancelled is
 * CANCELLED"</em>; and {@code Scope.join()}'s outcome agreeing with the subtask.
 *
 * <p>The owner forks a task while another actor cancels the scope and then sets a volatile flag
 * {@code cancelReturned}. The task, as it starts, records that it ran, then reads
 * {@code cancelReturned}, its interrupt status and its context's {@code isCancelled()} (in that
 * order); it throws InterruptedException if interrupted, otherwise returns 7.
 *
 * <p>What is guaranteed, and encoded: a task that ran after {@code cancel} returned has been
 * interrupted (cr=1 implies intr=1), so no task runs uninterrupted past a finished cancel; an
 * interrupt implies the cancellation is visible (intr=1 implies ctx=1); a task that never ran is
 * CANCELLED; SUCCESS always comes with the value and a normal join, CANCELLED always with join
 * throwing CancelledException.
 *
 * <p>Outcome: {@code ran cr intr ctx state join value}.
 */
@JCStressTest
@Outcome(id = "ran=0 cr=0 intr=0 ctx=0 state=CANCELLED join=CancelledException value=-", expect = ACCEPTABLE,
        desc = "the cancellation came first: the task never ran")
@Outcome(id = "ran=1 cr=0 intr=0 ctx=[01] state=SUCCESS join=ok value=7", expect = ACCEPTABLE,
        desc = "the task ran and ended before the interrupt reached it")
@Outcome(id = "ran=1 cr=[01] intr=1 ctx=1 state=CANCELLED join=CancelledException value=-", expect = ACCEPTABLE,
        desc = "the task ran and saw the interrupt")
@Outcome(expect = FORBIDDEN, desc = "a task ran uninterrupted after cancel returned, an interrupt without a visible "
        + "cancellation, or a subtask state that disagrees with what happened or with join")
@State
public class ForkRacingCancel {
    volatile Scope published;
    volatile boolean cancelReturned;
    int ran;
    int sawCancelReturned;
    int interrupted;
    int contextCancelled;

    @Actor
    public void owner(L_Result r) {
        Subtask<Integer> task = null;
        String join = "ok";
        String value = "-";
        try (Scope scope = Scope.open()) {
            published = scope;
            task = scope.fork(() -> {
                ran = 1;
                boolean cr = cancelReturned;
                boolean intr = Thread.currentThread().isInterrupted();
                boolean ctx = Context.current().isCancelled();
                sawCancelReturned = Outcomes.bit(cr);
                interrupted = Outcomes.bit(intr);
                contextCancelled = Outcomes.bit(ctx);
                if (intr) {
                    throw new InterruptedException("interrupted as it started");
                }
                return 7;
            });
            try {
                scope.join();
            } catch (CancelledException e) {
                join = Outcomes.name(e);
            }
            if (task.state() == Subtask.State.SUCCESS) {
                value = String.valueOf(task.get());
            }
        } catch (Throwable t) {
            join = "unexpected " + Outcomes.name(t);
        }
        r.r1 = "ran=" + ran + " cr=" + sawCancelReturned + " intr=" + interrupted + " ctx=" + contextCancelled
                + " state=" + Outcomes.state(task) + " join=" + join + " value=" + value;
    }

    @Actor
    public void canceller() {
        Spin.until(() -> published).cancel();
        cancelReturned = true;
    }
}
