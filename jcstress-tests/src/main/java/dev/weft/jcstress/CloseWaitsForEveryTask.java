package dev.weft.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Scope;
import dev.weft.Subtask;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Proves {@code Scope}, "Memory consistency effects": <em>"Actions of every task [...] happen-before
 * {@link Scope#close()} returns: when {@code close} returns, no task of the scope is running"</em>,
 * and the Lifecycle sentence "{@code close()} cancels whatever is unfinished, waits for every
 * thread the scope started [...] and {@link IllegalStateException} when tasks were forked and
 * {@code join()} was never called (after waiting for them)".
 *
 * <p>The owner forks an outer task and closes the scope without joining; another actor cancels the
 * scope at the same time. The outer task marks itself started, forks an inner task from inside the
 * scope (racing the close), then blocks until interrupted; each task marks itself finished (plain
 * writes) as it ends. After close, every task that started must be seen finished, no subtask may
 * be RUNNING, and close must have thrown IllegalStateException with no cause (no task failed).
 *
 * <p>Outcome: {@code outer=<started><finished> inner=<fork result>,<started><finished>
 * states=<outer>/<inner> close=<what close threw>}; fork result is none (the outer task never
 * ran), forked, or refused (the fork came after close had closed the scope: IllegalStateException).
 */
@JCStressTest
@Outcome(id = "outer=11 inner=forked,(00|11) states=CANCELLED/CANCELLED close=ISE", expect = ACCEPTABLE,
        desc = "both tasks forked; the inner one ran and ended, or was cancelled before it started")
@Outcome(id = "outer=11 inner=refused,00 states=CANCELLED/- close=ISE", expect = ACCEPTABLE,
        desc = "the inner fork came after close closed the scope and was refused")
@Outcome(id = "outer=00 inner=none,00 states=CANCELLED/- close=ISE", expect = ACCEPTABLE,
        desc = "the cancellation came before the outer task started: it never ran")
@Outcome(expect = FORBIDDEN, desc = "close returned while a task was still running (or without its effects visible), "
        + "a subtask is still RUNNING, or close reported something else")
@State
public class CloseWaitsForEveryTask {
    volatile Scope published;
    int outerStarted;
    int outerFinished;
    int innerStarted;
    int innerFinished;
    String innerFork = "none";
    Subtask<Void> inner;

    @Actor
    public void owner(L_Result r) {
        Subtask<Void> outer = null;
        String close = "returned";
        try {
            Scope scope = Scope.open();
            try {
                published = scope;
                outer = scope.fork(() -> {
                    outerStarted = 1;
                    try {
                        try {
                            inner = scope.fork(() -> {
                                innerStarted = 1;
                                try {
                                    Tasks.blockUntilInterrupted();
                                } finally {
                                    innerFinished = 1;
                                }
                            });
                            innerFork = "forked";
                        } catch (IllegalStateException closed) {
                            innerFork = "refused";
                        }
                        Tasks.blockUntilInterrupted();
                    } finally {
                        outerFinished = 1;
                    }
                });
            } finally {
                scope.close();
            }
        } catch (IllegalStateException e) {
            close = e.getCause() == null ? "ISE" : "ISE(cause " + Outcomes.name(e.getCause()) + ")";
        } catch (Throwable t) {
            close = Outcomes.name(t);
        }
        r.r1 = "outer=" + outerStarted + outerFinished
                + " inner=" + innerFork + "," + innerStarted + innerFinished
                + " states=" + Outcomes.state(outer) + "/" + Outcomes.state(inner)
                + " close=" + close;
    }

    @Actor
    public void canceller() {
        Spin.until(() -> published).cancel();
    }
}
