package dev.weft;

import dev.weft.internal.ThreadList;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * A forked task: the {@link Runnable} its thread runs and the {@link Subtask} its forker holds.
 * The result is written before the volatile {@code state}, and read only after the state (or after
 * the owner's join, which happens-after every task's end).
 */
final class ForkedTask<T> implements Subtask<T>, Runnable {
    private final Scope scope;
    private final Callable<? extends T> body;
    private final Map<String, String> mdc;
    /** The slot of this task's thread in the scope's thread list; cleared when the task ends. */
    ThreadList.Node node;
    private Object outcome;
    private volatile State state = State.RUNNING;

    ForkedTask(Scope scope, Callable<? extends T> body, Map<String, String> mdc) {
        this.scope = scope;
        this.body = body;
        this.mdc = mdc;
    }

    @Override
    public void run() {
        Object value = null;
        Throwable failure = null;
        boolean ran = false;
        try {
            if (!scope.context.isCancelled()) {
                ran = true;
                Context.setCurrent(scope.context);
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                try {
                    value = body.call();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if (mdc != null) {
                        MDC.clear();
                    }
                }
            }
        } finally {
            scope.taskEnded(this, ran, value, failure);
        }
    }

    /** Publishes the final state; called once, by the task's thread or by a fork that did not start it. */
    void complete(State finalState, Object outcome) {
        this.outcome = outcome;
        this.state = finalState;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        scope.checkJoined("get()");
        State s = state;
        if (s != State.SUCCESS) {
            throw new IllegalStateException("subtask " + s + ", it has no result", s == State.FAILED ? (Throwable) outcome : null);
        }
        return (T) outcome;
    }

    @Override
    public Throwable exception() {
        scope.checkJoined("exception()");
        State s = state;
        if (s != State.FAILED) {
            throw new IllegalStateException("subtask " + s + ", it has no exception");
        }
        return (Throwable) outcome;
    }

    @Override
    public String toString() {
        return "Subtask[" + state + " in " + scope.describe() + "]";
    }
}
