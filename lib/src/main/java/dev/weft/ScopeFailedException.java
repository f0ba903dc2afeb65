package dev.weft;

import dev.weft.internal.Suppressed;

/**
 * Thrown by {@link Scope#join()} when a task failed: {@link #getCause()} is the first failure and
 * every other failure of the scope's tasks is {@linkplain #getSuppressed() suppressed} on this
 * exception. Nothing is lost.
 *
 * <p>An {@link Error} is never wrapped: if the first failure is an {@code Error}, {@code join()}
 * throws that error itself, with the other failures suppressed on it.
 */
public class ScopeFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private transient boolean handedOver;

    public ScopeFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Rethrows the cause as its own type when it is an instance of {@code type}; returns normally
     * otherwise. The suppressed failures of this exception move onto the cause the first time it
     * is rethrown, so they are not lost. Typical use:
     *
     * <pre>{@code
     * } catch (ScopeFailedException e) {
     *     e.rethrowCause(IOException.class);
     *     throw e;
     * }
     * }</pre>
     *
     * @throws X the cause, if it is an instance of {@code type}
     * @throws NullPointerException if {@code type} is null
     */
    public <X extends Throwable> void rethrowCause(Class<X> type) throws X {
        java.util.Objects.requireNonNull(type, "type");
        Throwable cause = getCause();
        if (type.isInstance(cause)) {
            if (!handedOver) {
                handedOver = true;
                Suppressed.handOver(this, cause);
            }
            throw type.cast(cause);
        }
    }
}
