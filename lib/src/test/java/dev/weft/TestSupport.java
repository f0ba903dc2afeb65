package dev.weft;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the tests: bounded waits on latches, conditions and helper threads. */
final class TestSupport {
    /** The most any single wait in a test may take before the test fails (a hang guard, never a timing claim). */
    static final Duration WAIT = Duration.ofSeconds(10);

    private TestSupport() {}

    /** Waits for {@code latch}, failing the test if it does not open within {@link #WAIT}. */
    static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "timed out waiting for a latch");
    }

    /** Waits for {@code latch} without giving in to interrupts (for tasks that must outlive a cancel). */
    static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("timed out waiting for a latch");
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A task body that blocks until it is interrupted. */
    static Void blockUntilInterrupted() throws InterruptedException {
        new CountDownLatch(1).await();
        throw new AssertionError("unreachable");
    }

    /** Polls {@code condition} until it holds, failing the test after {@link #WAIT}. */
    static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Waits until {@code thread} is blocked (parked or waiting). */
    static void awaitBlocked(Thread thread) {
        awaitCondition(() -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        }, thread + " is blocked");
    }

    /** A running helper thread and the future of what it returns. */
    record Helper<T>(Thread thread, CompletableFuture<T> result) {
        /** Waits for the helper's result, failing the test if it threw or took longer than {@link #WAIT}. */
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
    }

    /** Runs {@code body} on a new daemon platform thread (e.g. a scope owner the test thread watches). */
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
