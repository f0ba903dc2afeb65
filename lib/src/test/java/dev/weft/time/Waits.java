package dev.weft.time;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for the tests of the sleep, retry and rate limiter: helper threads, and waiting
 * until a thread is parked on a {@link ManualTime}. Every bound is a hang guard, never a timing
 * claim.
 */
final class Waits {
    /** The most any single wait in a test may take before the test fails. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private Waits() {}

    /** Polls {@code condition} until it holds, failing the test after {@link #WAIT}. */
    static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Waits until {@code thread} is parked and {@code time} has {@code pending} timers: it sleeps on the clock. */
    static void parkedOn(ManualTime time, int pending, Thread thread) {
        until(() -> time.pending() == pending && isBlocked(thread),
                thread.getName() + " parked with " + pending + " timer(s) pending on " + time);
    }

    /** Waits until {@code thread} is blocked (parked or waiting). */
    static void blocked(Thread thread) {
        until(() -> isBlocked(thread), thread.getName() + " is blocked");
    }

    private static boolean isBlocked(Thread thread) {
        Thread.State s = thread.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** A helper thread and the future of what it returns. */
    record Helper<T>(Thread thread, CompletableFuture<T> result) {
        /** Its result, failing the test if it threw or did not finish within {@link #WAIT}. */
        T get() throws InterruptedException {
            try {
                return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | CancellationException e) {
                throw new AssertionError("helper thread failed", e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("helper thread did not finish within " + WAIT);
            }
        }

        /** What it threw, failing the test if it returned normally or did not finish within {@link #WAIT}. */
        Throwable failure() throws InterruptedException {
            try {
                T value = result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("helper thread returned " + value + " instead of throwing");
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (CancellationException e) {
                // A CancelledException is a CancellationException: the future reports it as its own cancellation.
                return e.getCause();
            } catch (TimeoutException e) {
                throw new AssertionError("helper thread did not finish within " + WAIT);
            }
        }

        boolean isDone() {
            return result.isDone();
        }
    }

    /** Runs {@code body} on a new daemon platform thread. */
    static <T> Helper<T> onNewThread(String name, Callable<T> body) {
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
}
