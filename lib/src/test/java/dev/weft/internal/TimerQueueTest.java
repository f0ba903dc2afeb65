package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The timer facility behind TimeSource.system(): order, cancel, the wake-up of a sleeping timer
 * thread, the purge of cancelled entries, and a thread that survives a throwing action. Every
 * test uses its own queue (and closes it); waits are hang guards, never timing claims.
 */
@ExtendWith(LeakCheckExtension.class)
class TimerQueueTest {
    private static final long WAIT_SECONDS = 10;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final TimerQueue queue = new TimerQueue("test-timer");

    @AfterEach
    void closeQueue() {
        queue.close();
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting until " + what);
    }

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting until " + what);
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * The timer thread is held in a first action while the others are scheduled, with due times
     * that have all passed when it is let go: the order it then runs them in is the heap's alone.
     */
    @Test
    void runsDueActionsInDueTimeOrderWithTiesInSchedulingOrder() throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long base = System.nanoTime();
        queue.schedule(TimerQueue.entry(base, () -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        await(holding, "the timer thread runs the first action");

        List<String> ran = new ArrayList<>(); // touched by the timer thread only, read after `done`
        CountDownLatch done = new CountDownLatch(1);
        long[] offsets = {5, 1, 3, 1, 4, 2, 5, 0};
        for (int i = 0; i < offsets.length; i++) {
            String name = offsets[i] + ":" + i;
            queue.schedule(TimerQueue.entry(base + offsets[i] * 1_000, () -> ran.add(name)));
        }
        queue.schedule(TimerQueue.entry(base + 6_000, done::countDown));
        awaitCondition(() -> System.nanoTime() - base > 6_000, "every due time has passed");
        release.countDown();
        await(done, "the last action runs");
        assertEquals(List.of("0:7", "1:1", "1:3", "2:5", "3:2", "4:4", "5:0", "5:6"), ran);
    }

    @Test
    void cancelPreventsTheActionOnlyWhileItIsPending() throws InterruptedException {
        AtomicInteger farRuns = new AtomicInteger();
        TimerQueue.Entry far = queue.schedule(TimerQueue.entry(TimerQueue.dueIn(HOUR), farRuns::incrementAndGet));
        assertTrue(far.cancel(), "a pending timer is prevented");
        assertFalse(far.cancel(), "the second cancel prevents nothing");

        CountDownLatch ran = new CountDownLatch(1);
        TimerQueue.Entry near = queue.schedule(TimerQueue.entry(TimerQueue.dueIn(0), ran::countDown));
        await(ran, "the near timer runs");
        assertFalse(near.cancel(), "an action that has run cannot be prevented");
        assertEquals(0, farRuns.get());
    }

    @Test
    void anEarlierTimerWakesTheThreadSleepingUntilALaterOne() throws InterruptedException {
        queue.schedule(TimerQueue.entry(TimerQueue.dueIn(HOUR), () -> { }));
        awaitCondition(queue::isQuiescent, "the timer thread sleeps until the timer an hour away");
        CountDownLatch ran = new CountDownLatch(1);
        queue.schedule(TimerQueue.entry(TimerQueue.dueIn(1_000_000), ran::countDown));
        await(ran, "the earlier timer runs although the thread was asleep for an hour");
    }

    @Test
    void anIdleThreadIsWokenByTheFirstTimer() throws InterruptedException {
        awaitCondition(queue::isQuiescent, "the new timer thread parks with nothing to do");
        CountDownLatch ran = new CountDownLatch(1);
        queue.schedule(TimerQueue.entry(TimerQueue.dueIn(0), ran::countDown));
        await(ran, "the timer runs");
    }

    @Test
    void cancelledTimersAreDroppedSoTheHeapStaysBoundedByTheLiveOnes() throws InterruptedException {
        int n = 200_000;
        List<TimerQueue.Entry> entries = new ArrayList<>(n);
        Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            entries.add(queue.schedule(TimerQueue.entry(TimerQueue.dueIn(HOUR + random.nextInt(1_000_000)), () -> { })));
        }
        runOneRound();
        awaitCondition(queue::isQuiescent, "the timer thread has taken every timer");
        assertEquals(n, queue.heldEntries());
        for (int i = 0; i < n - 10; i++) {
            assertTrue(entries.get(i).cancel());
        }
        // No extra round forced: the cancels themselves make the thread purge. A parked thread holds
        // at most twice the timers live when it parked (10, plus fewer than a batch cancelled since
        // without waking it), plus a batch.
        int bound = 2 * (10 + TimerQueue.BATCH) + TimerQueue.BATCH;
        awaitCondition(() -> queue.isQuiescent() && queue.heldEntries() <= bound,
                "the cancelled timers are purged (held: " + queue.heldEntries() + ")");
    }

    /**
     * Makes the timer thread do a round now: a timer due at once wakes it, and it takes every
     * entry scheduled so far. (Entries due after the one it sleeps for may otherwise wait in the
     * incoming stack, up to {@link TimerQueue#BATCH} of them, until it wakes for that one.)
     */
    private void runOneRound() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        queue.schedule(TimerQueue.entry(TimerQueue.dueIn(0), ran::countDown));
        await(ran, "a timer due at once runs");
    }

    @Test
    void aCancelledTimerNoLongerReferencesItsAction() {
        Runnable action = new Runnable() {
            @Override
            public void run() { }
        };
        WeakReference<Runnable> ref = new WeakReference<>(action);
        TimerQueue.Entry entry = queue.schedule(TimerQueue.entry(TimerQueue.dueIn(HOUR), action));
        action = null;
        assertTrue(entry.cancel());
        awaitCondition(() -> {
            System.gc();
            return ref.get() == null;
        }, "the cancelled action is collected while its entry is still queued");
        assertNull(ref.get());
    }

    @Test
    void aThrowingActionIsLoggedAndTheThreadKeepsRunningTimers() throws InterruptedException {
        queue.schedule(TimerQueue.entry(TimerQueue.dueIn(0), () -> {
            throw new IllegalStateException("timer action failed (expected by the test)");
        }));
        CountDownLatch ran = new CountDownLatch(1);
        queue.schedule(TimerQueue.entry(TimerQueue.dueIn(1_000_000), ran::countDown));
        await(ran, "the timer after the throwing one runs");
    }

    @Test
    void concurrentSchedulersAndCancellersAccountForEveryTimerExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger prevented = new AtomicInteger();
        CountDownLatch allDone = new CountDownLatch(threads * perThread);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            workers.add(Thread.ofPlatform().start(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < perThread; i++) {
                    TimerQueue.Entry e = queue.schedule(TimerQueue.entry(TimerQueue.dueIn(random.nextInt(2_000_000)), () -> {
                        runs.incrementAndGet();
                        allDone.countDown();
                    }));
                    if ((i & 1) == 0 && e.cancel()) {
                        prevented.incrementAndGet();
                        allDone.countDown();
                    }
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        await(allDone, "every timer has run or been prevented");
        assertEquals(threads * perThread, runs.get() + prevented.get());
        assertTrue(prevented.get() > 0, "some cancels came in time");
    }

    @Test
    void anEntryIsScheduledOnceAndAClosedQueueRefusesMore() {
        TimerQueue.Entry entry = queue.schedule(TimerQueue.entry(TimerQueue.dueIn(HOUR), () -> { }));
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> queue.schedule(entry));
        assertTrue(twice.getMessage().contains("already been scheduled"), twice.getMessage());
        assertThrows(NullPointerException.class, () -> TimerQueue.entry(0, null));
        queue.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> queue.schedule(TimerQueue.entry(0, () -> { })));
        assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
    }

    @Test
    void dueInClampsNegativeAndHugeDelays() {
        long before = System.nanoTime();
        long soon = TimerQueue.dueIn(-5);
        long far = TimerQueue.dueIn(Long.MAX_VALUE);
        long after = System.nanoTime();
        assertTrue(soon - before >= 0 && after - soon >= 0, "a negative delay means now");
        assertTrue(far - before >= TimerQueue.MAX_DELAY && far - after <= TimerQueue.MAX_DELAY, "clamped to MAX_DELAY");
    }
}
