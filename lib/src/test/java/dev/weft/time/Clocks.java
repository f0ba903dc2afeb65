package dev.weft.time;

import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.TestSupport;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The time tests' own waits, on top of {@link TestSupport}: driving a {@link ManualTime} while a
 * helper waits on it. Every bound is a hang guard, never a timing claim.
 */
final class Clocks {
    private Clocks() {}

    /** Waits until {@code thread} is parked and {@code time} has {@code pending} timers: it sleeps on the clock. */
    static void parkedOn(ManualTime time, int pending, Thread thread) {
        TestSupport.awaitCondition(() -> time.pending() == pending && TestSupport.isBlocked(thread),
                thread.getName() + " parked with " + pending + " timer(s) pending on " + time);
    }

    /**
     * Advances {@code time} by {@code step} each time {@code helper} waits in a receive (as
     * {@code waiting} reports: the receivers queued on the slot), until the helper ends. The helper
     * never misses a tick because the clock ran ahead of it: a tick handed to it dequeues it at
     * once, inside the {@code advance}, and the clock moves again only once it is queued again.
     */
    static <T> T advanceWhileWaiting(ManualTime time, Duration step, TestSupport.Helper<T> helper, IntSupplier waiting)
            throws InterruptedException {
        while (true) {
            TestSupport.awaitCondition(() -> waiting.getAsInt() > 0 || helper.isDone(), "the helper receives or ends");
            if (helper.isDone()) {
                return helper.get();
            }
            time.advance(step);
        }
    }

    /** Takes the next element, failing the test if none arrives within {@link TestSupport#WAIT}. */
    static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
        T value = queue.poll(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (value == null) {
            fail("timed out waiting for " + what);
        }
        return value;
    }
}
