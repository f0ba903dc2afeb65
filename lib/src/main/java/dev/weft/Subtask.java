package dev.weft;

import java.util.function.Supplier;

/**
 * A task forked in a {@link Scope}: its state, and its result or exception once the owner has
 * joined.
 *
 * <p>Memory consistency effects: actions of the task happen-before {@link #get()} or
 * {@link #exception()} return, because both are valid only after {@link Scope#join()} returned
 * or threw, and actions of every task happen-before {@code join} returns.
 *
 * @param <T> the result type
 */
public sealed interface Subtask<T> extends Supplier<T> permits ForkedTask {

    /** The state of a subtask. */
    enum State {
        /** Not finished yet (possibly not started). */
        RUNNING,
        /** Completed with a result. */
        SUCCESS,
        /** Completed with an exception that is a real failure of the task. */
        FAILED,
        /**
         * Did not run because the scope was cancelled first, or ended by the scope's cancellation
         * (an interrupt or a cancellation exception thrown after the scope was cancelled).
         */
        CANCELLED
    }

    /** The current state; valid at any time, from any thread. */
    State state();

    /**
     * The result.
     *
     * @throws IllegalStateException if the owner has not joined yet, or the state is not
     *     {@link State#SUCCESS} (for a failed task the exception is the cause of this one)
     */
    @Override
    T get();

    /**
     * The exception of a failed task.
     *
     * @throws IllegalStateException if the owner has not joined yet, or the state is not
     *     {@link State#FAILED}
     */
    Throwable exception();
}
