package dev.weft.time;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Helpers for the time tests: helper threads that block in a receive while the test moves a
 * {@link ManualTime}, and bounded waits. Every wait is a hang guard ({@link #WAIT}), never a
 * timing claim.
 */
final class Blocking {
    /** The most any single wait may take before the test fails. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private Blocking() {}

    /** What a helper thread returned, or threw. */
    private record Outcome<T>(T value, Throwable failure) {}

    /** A running helper thread and the future of what it returns or throws. */
    record Helper<T>(Thread thread, CompletableFuture<Outcome<T>> outcome) {
        /** True once the helper has returned or thrown. */
        boolean isDone() {
            return outcome.isDone();
        }

        /** Waits for the result, failing the test if the helper threw or took longer than {@link #WAIT}. */
        T get() throws InterruptedException {
            Outcome<T> o = await();
            if (o.failure() != null) {
                throw new AssertionError("helper thread failed", o.failure());
            }
            return o.value();
        }

        /** Waits for the helper and returns what it threw, failing the test if it returned normally. */
        Throwable failure() throws InterruptedException {
            Outcome<T> o = await();
            if (o.failure() == null) {
                throw new AssertionError("helper thread returned " + o.value() + " instead of throwing");
            }
            return o.failure();
        }

        private Outcome<T> await() throws InterruptedException {
            try {
                return outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("unreachable: outcomes are always completed normally", e);
            } catch (TimeoutException e) {
                throw new AssertionError("helper thread did not finish within " + WAIT);
            }
        }
    }

    /** Runs {@code body} on a new daemon platform thread. */
    static <T> Helper<T> onNewThread(String name, Callable<T> body) {
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

    /**
     * Advances {@code time} by {@code step} each time {@code helper} waits in a receive (as
     * {@code waiting} reports: the receivers queued on the slot), until the helper ends. The helper
     * never misses a tick because the clock ran ahead of it: a tick handed to it dequeues it at
     * once, inside the {@code advance}, and the clock moves again only once it is queued again.
     */
    static <T> T advanceWhileWaiting(ManualTime time, Duration step, Helper<T> helper, IntSupplier waiting)
            throws InterruptedException {
        while (true) {
            awaitCondition(() -> waiting.getAsInt() > 0 || helper.isDone(), "the helper receives or ends");
            if (helper.isDone()) {
                return helper.get();
            }
            time.advance(step);
        }
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

    /** Takes the next element, failing the test if none arrives within {@link #WAIT}. */
    static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
        T value = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (value == null) {
            fail("timed out waiting for " + what);
        }
        return value;
    }
}
