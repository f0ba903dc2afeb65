package dev.weft;

import java.util.concurrent.CancellationException;

/**
 * Thrown by a weft blocking call, by {@link Context#throwIfCancelled()} and by {@link Scope#join()}
 * when the context was cancelled: Go's {@code context.Canceled}.
 *
 * <p>{@link #cause()} is the reason the context was cancelled, Go's {@code context.Cause}: the
 * first failure of a fail-fast scope, the cause given to {@link Scope#cancel(Throwable)}, or this
 * exception itself when the cancellation had no other cause.
 */
public class CancelledException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** A cancellation with no cause other than itself. */
    public CancelledException(String message) {
        super(message);
    }

    /** A cancellation caused by {@code cause} (which may be null). */
    public CancelledException(String message, Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
    }

    /** Why the context was cancelled: {@link #getCause()}, or this exception when there is none. */
    public Throwable cause() {
        Throwable c = getCause();
        return c == null ? this : c;
    }

    /**
     * The exception a blocking call throws for a context cancelled with {@code cause}: a new
     * {@link DeadlineExceededException} if the cause is one, a new {@code CancelledException}
     * otherwise, either way with {@code cause} as its cause and a stack trace of the caller.
     */
    static CancelledException of(Throwable cause) {
        if (cause instanceof DeadlineExceededException d) {
            return new DeadlineExceededException(d.getMessage(), d);
        }
        if (cause instanceof CancelledException c) {
            return new CancelledException(c.getMessage(), c);
        }
        return new CancelledException("cancelled because of " + cause, cause);
    }
}
