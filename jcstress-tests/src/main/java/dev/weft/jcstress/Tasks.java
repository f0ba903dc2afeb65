package dev.weft.jcstress;

import java.time.Duration;

/** Task bodies shared by the tests. */
final class Tasks {
    private Tasks() {}

    /**
     * Blocks until the calling thread is interrupted, then throws {@link InterruptedException}.
     * A test whose scope is always cancelled uses it as "a task that blocks"; if the interrupt were
     * lost the sleep would end on its own and this throws {@link AssertionError} instead, which
     * every test reports as a forbidden outcome.
     */
    static void blockUntilInterrupted() throws InterruptedException {
        Thread.sleep(Duration.ofSeconds(30));
        throw new AssertionError("slept 30 s: the task was never interrupted");
    }
}
