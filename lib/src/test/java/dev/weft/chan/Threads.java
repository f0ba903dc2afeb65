package dev.weft.chan;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Helper threads and bounded waits for the channel tests (hang guards, never timing claims). */
final class Threads {
    /** The most any single wait in a test may take before the test fails. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private Threads() {}

    /** A running helper thread and the future of what it returns. */
    record Helper<T>(Thread thread, CompletableFuture<T> result) {
        /** Waits for the helper's result, failing the test if it threw or hangs. */
        T get() throws InterruptedException {
            try {
                return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("helper thread failed", e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("helper thread did not finish within " + WAIT);
            }
        }

        /** Waits for the helper and returns what it threw, failing the test if it returned normally. */
        Throwable failure() throws InterruptedException {
            try {
                T value = result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("helper thread returned " + value + " instead of throwing");
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException e) {
                throw new AssertionError("helper thread did not finish within " + WAIT);
            }
        }

        /** Waits until the helper is parked (in a channel wait, typically). */
        Helper<T> awaitBlocked() {
            Threads.awaitBlocked(thread);
            return this;
        }
    }

    /** Runs {@code body} on a new daemon platform thread. */
    static <T> Helper<T> start(String name, Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name(name).daemon(true).start(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return new Helper<>(thread, result);
    }

    /** What {@link #waiters} says of a channel on which no operation waits. */
    static final String NOBODY_WAITING = "0 senders and 0 receivers waiting";

    /**
     * The waiting senders and receivers linked in {@code ch}'s queues right now, as its
     * {@code toString} reports them: "n senders and m receivers waiting". Unlike a {@code trySend}
     * that finds no receiver, this also sees a node that was left linked by a waiter that gave up.
     */
    static String waiters(Channel<?> ch) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+ senders and \\d+ receivers waiting")
                .matcher(ch.toString());
        if (!m.find()) {
            throw new AssertionError("unexpected toString: " + ch);
        }
        return m.group();
    }

    /** Polls {@code condition} until it holds, failing the test after {@link #WAIT}. */
    static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Waits until {@code thread} is parked or waiting. */
    static void awaitBlocked(Thread thread) {
        awaitCondition(() -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        }, thread + " is blocked");
    }
}
