package dev.weft.chan;

/**
 * Thrown by an operation on a closed channel: a send to a closed channel (Go panics with "send on
 * closed channel"), a sender that was waiting on a full channel when it was closed, and a receive
 * from a channel that is closed and drained (Go's {@code v, ok := <-ch} with {@code ok == false}).
 *
 * <p>{@link #getCause()} is null for a channel closed by {@link SendChannel#close()}, and the
 * failure for a channel closed by {@link SendChannel#fail(Throwable)}.
 */
public class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A closed-channel exception, caused by the channel's failure ({@code cause} may be null). */
    public ChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A closed-channel exception for a channel closed without a failure. */
    public ChannelClosedException(String message) {
        super(message);
    }
}
