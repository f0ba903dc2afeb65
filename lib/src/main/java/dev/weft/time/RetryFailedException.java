package dev.weft.time;

import dev.weft.internal.Suppressed;
import java.util.Objects;

/**
 * Thrown by {@link Retry} when it stops without a success: {@link #lastError()} is the last
 * attempt's error, {@link #reason()} says why it stopped, and the errors of earlier attempts are
 * {@linkplain #getSuppressed() suppressed} on it, in attempt order (at most
 * {@value #MAX_EARLIER_ERRORS} of them: the first attempt's and the most recent ones; the message
 * says how many were left out).
 *
 * <p>{@link #getCause()} is the last error too, except when the retry stopped because its context
 * was cancelled ({@link Reason#CANCELLED}, or {@link Reason#DEADLINE} once the deadline has
 * passed): then the cause is that cancellation, a {@link dev.weft.CancelledException} or
 * {@link dev.weft.DeadlineExceededException}, and the last error is suppressed on this exception, after the earlier ones.
 * So a task of a cancelled scope that ends with this exception is recorded as cancelled, not as a
 * failure (the scope recognises a cancellation in the cause chain, ADR 0002), exactly as it would
 * be had it been waiting in any other weft call. When the retry stops early because the next wait
 * would reach a deadline that has not passed yet, the context is not cancelled and the cause is
 * the last error: that is a failure.
 *
 * <p>Catch it to tell the reasons apart, or hand the last error to the caller as its own type
 * with {@link #rethrowCause}:
 *
 * <pre>{@code
 * } catch (RetryFailedException e) {
 *     if (e.reason() == RetryFailedException.Reason.ABORTED) {
 *         e.rethrowCause(NotFoundException.class);
 *     }
 *     throw e;
 * }
 * }</pre>
 */
public final class RetryFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How many errors of earlier attempts are kept as suppressed exceptions. */
    public static final int MAX_EARLIER_ERRORS = 8;

    /** Why a {@link Retry} stopped. */
    public enum Reason {
        /** Every attempt the backoff allows ({@link Backoff#withMaxAttempts}) has failed. */
        EXHAUSTED,
        /** The next attempt would have started past the backoff's {@link Backoff#withMaxElapsed maximum elapsed time}. */
        MAX_ELAPSED,
        /**
         * The context's deadline: the wait before the next attempt would have reached it, or it
         * passed (and so cancelled the context) during an attempt or a wait.
         */
        DEADLINE,
        /** The context was cancelled (by its scope, a failing sibling or a parent), during an attempt or a wait. */
        CANCELLED,
        /** The last error is not to be retried: it matched {@link Retry#abortOn} or did not match {@link Retry#retryIf}. */
        ABORTED
    }

    private final Reason reason;
    private final int attempts;
    private final Throwable lastError;
    private transient boolean handedOver;

    /**
     * @param cancellation the context's cancellation when that is why the retry stopped, else null
     */
    RetryFailedException(Reason reason, int attempts, Throwable lastError, Throwable cancellation, int omitted) {
        super(message(reason, attempts, lastError, omitted), cancellation != null ? cancellation : lastError);
        this.reason = reason;
        this.attempts = attempts;
        this.lastError = lastError;
    }

    private static String message(Reason reason, int attempts, Throwable lastError, int omitted) {
        String why = switch (reason) {
            case EXHAUSTED -> "every attempt the backoff allows failed";
            case MAX_ELAPSED -> "the next attempt would start past the backoff's maximum elapsed time";
            case DEADLINE -> "the context's deadline came before the next attempt";
            case CANCELLED -> "the context was cancelled";
            case ABORTED -> "the error is not to be retried";
        };
        return "retry stopped (" + reason + ") after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ")
                + why + "; last error: " + lastError
                + (omitted > 0 ? " (" + omitted + " earlier errors not kept)" : "");
    }

    /** Why the retry stopped. */
    public Reason reason() {
        return reason;
    }

    /** How many times the operation was called. */
    public int attempts() {
        return attempts;
    }

    /** The error of the last attempt (also the {@link #getCause() cause}, unless the context was cancelled). */
    public Throwable lastError() {
        return lastError;
    }

    /**
     * Rethrows the last error as its own type when it is an instance of {@code type}; returns
     * normally otherwise. The earlier attempts' errors move onto it, as suppressed, the first time
     * it is rethrown, so they are not lost.
     *
     * @throws X the last error, if it is an instance of {@code type}
     * @throws NullPointerException if {@code type} is null
     */
    public <X extends Throwable> void rethrowCause(Class<X> type) throws X {
        Objects.requireNonNull(type, "type");
        Throwable cause = lastError;
        if (type.isInstance(cause)) {
            if (!handedOver) {
                handedOver = true;
                Suppressed.handOver(this, cause);
            }
            throw type.cast(cause);
        }
    }
}
