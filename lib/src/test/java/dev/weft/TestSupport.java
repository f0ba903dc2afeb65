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

/**
 * Small helpers shared by the tests of every package: bounded waits on latches, conditions and
 * helper threads. Every wait here is a hang guard, never a timing claim.
 */
public final class TestSupport {
    /** The most any single wait in a test may take before the test fails (a hang guard, never a timing claim). */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private TestSupport() {}

    /** Waits for {@code latch}, failing the test if it does not open within {@link #WAIT}. */
    public static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "timed out waiting for a latch");
    }

    /** Waits for {@code latch} without giving in to interrupts (for tasks that must outlive a cancel). */
    public static void awaitUninterruptibly(CountDownLatch latch) {
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
    public static Void blockUntilInterrupted() throws InterruptedException {
        new CountDownLatch(1).await();
        throw new AssertionError("unreachable");
    }

    /** Polls {@code condition} until it holds, failing the test after {@link #WAIT}. */
    public static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** True if {@code thread} is blocked right now (parked or waiting). */
    public static boolean isBlocked(Thread thread) {
        Thread.State s = thread.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** Waits until {@code thread} is blocked (parked or waiting). */
    public static void awaitBlocked(Thread thread) {
        awaitCondition(() -> isBlocked(thread), thread.getName() + " is blocked");
    }

    /** What a helper thread returned, or threw. */
    private record Outcome<T>(T value, Throwable failure) {}

    /**
     * A running helper thread and what it returns or throws. The outcome is kept as a value, not
     * as the future's exceptional completion, so that a {@link CancelledException} (a
     * {@code CancellationException}) is reported as what the helper threw, not as a cancelled
     * future.
     */
    public record Helper<T>(Thread thread, CompletableFuture<Outcome<T>> outcome) {
        /** True once the helper has returned or thrown. */
        public boolean isDone() {
            return outcome.isDone();
        }

        /** Waits for the helper's result, failing the test if it threw or took longer than {@link #WAIT}. */
        public T get() throws InterruptedException {
            Outcome<T> o = await();
            if (o.failure() != null) {
                throw new AssertionError("helper thread failed", o.failure());
            }
            return o.value();
        }

        /** Waits for the helper and returns what it threw, failing the test if it returned normally. */
        public Throwable failure() throws InterruptedException {
            Outcome<T> o = await();
            if (o.failure() == null) {
                throw new AssertionError("helper thread returned " + o.value() + " instead of throwing");
            }
            return o.failure();
        }

        /** Waits until the helper is blocked (parked or waiting), then returns it. */
        public Helper<T> awaitBlocked() {
            TestSupport.awaitBlocked(thread);
            return this;
        }

        private Outcome<T> await() throws InterruptedException {
            try {
                return outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("unreachable: outcomes are always completed normally", e);
            } catch (TimeoutException e) {
                throw new AssertionError("helper thread " + thread.getName() + " did not finish within " + WAIT);
            }
        }
    }

    /** Runs {@code body} on a new daemon platform thread (e.g. a scope owner the test thread watches). */
    public static <T> Helper<T> onNewThread(String name, Callable<T> body) {
        CompletableFuture<Outcome<T>> outcome = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name(name).daemon(true).start(() -> {
            try {
                outcome.complete(new Outcome<>(body.call(), null));
            } catch (Throwable t) {
                outcome.complete(new Outcome<>(null, t));
            }
        });
        return new Helper<>(thread, outcome);
    }
}
