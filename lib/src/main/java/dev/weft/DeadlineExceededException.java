package dev.weft;

/**
 * Thrown when a context's deadline has passed: Go's {@code context.DeadlineExceeded}. It is a
 * {@link CancelledException}, because a passed deadline cancels the context.
 */
public class DeadlineExceededException extends CancelledException {
    private static final long serialVersionUID = 1L;

    public DeadlineExceededException(String message) {
        super(message);
    }

    public DeadlineExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
