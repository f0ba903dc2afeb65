package dev.weft;

/** A task with no result that may throw checked exceptions: {@code scope.fork(() -> sendMail())}. */
@FunctionalInterface
public interface CheckedRunnable {
    void run() throws Exception;
}
