package dev.weft;

/**
 * The cause recorded on a scope's context when the scope finishes without any other cause (after
 * {@code join()} or {@code close()}), as Go's errgroup cancels its context when {@code Wait}
 * returns. It carries no stack trace: it is created on every join and would otherwise cost more
 * than the fork it ends.
 */
final class ScopeFinished extends CancelledException {
    private static final long serialVersionUID = 1L;

    ScopeFinished(String message) {
        super(message);
    }

    @Override
    public Throwable fillInStackTrace() {
        return this;
    }
}
