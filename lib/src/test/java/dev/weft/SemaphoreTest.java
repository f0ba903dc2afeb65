package dev.weft;

import static dev.weft.TestSupport.awaitBlocked;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.time.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Semaphore: Go's semaphore.Weighted test suite, plus cancellation, interrupts and bad inputs. */
@ExtendWith(LeakCheckExtension.class)
class SemaphoreTest {

    /** How many permits are free right now, found by taking them all one by one and giving them back. */
    private static long free(Semaphore sem, long size) {
        long n = 0;
        while (n < size && sem.tryAcquire(1)) {
            n++;
        }
        sem.release(n);
        return n;
    }

    @Test
    void tryAcquireFollowsGosPatternOnASemaphoreOfTwo() throws Exception {
        Semaphore sem = new Semaphore(2);
        List<Boolean> tries = new ArrayList<>();
        sem.acquire(1);
        tries.add(sem.tryAcquire(1));
        tries.add(sem.tryAcquire(1));
        sem.release(2);
        tries.add(sem.tryAcquire(1));
        sem.acquire(1);
        tries.add(sem.tryAcquire(1));
        assertEquals(List.of(true, false, true, false), tries);
    }

    @Test
    void overReleaseThrowsAndChangesNothing() throws Exception {
        Semaphore sem = new Semaphore(3);
        IllegalStateException fresh = assertThrows(IllegalStateException.class, () -> sem.release(1));
        assertEquals("release(1) is more than the 0 permits held", fresh.getMessage());
        sem.acquire(2);
        assertThrows(IllegalStateException.class, () -> sem.release(3));
        assertEquals(1, free(sem, 3), "the failed release gave nothing back");
        sem.release(2);
        assertEquals(3, free(sem, 3));
    }

    @Test
    void aRequestLargerThanTheTotalFailsAtOnceAndDoesNotBlockLaterSmallAcquires() throws Exception {
        Semaphore sem = new Semaphore(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sem.acquire(6));
        assertTrue(e.getMessage().contains("n = 6 is more than the semaphore's total of 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(6));
        sem.acquire(1);
        sem.acquire(4);
        sem.release(5);
    }

    @Test
    void strictFifoASmallWaiterBehindALargeOneWaitsEvenIfItWouldFit() throws Exception {
        Semaphore sem = new Semaphore(2);
        sem.acquire(1);
        AtomicInteger order = new AtomicInteger();
        var large = onNewThread("large", () -> {
            sem.acquire(2);
            return order.incrementAndGet();
        });
        awaitBlocked(large.thread());
        assertFalse(sem.tryAcquire(1), "tryAcquire fails while anyone is queued, although one permit is free");
        var small = onNewThread("small", () -> {
            sem.acquire(1);
            return order.incrementAndGet();
        });
        awaitBlocked(small.thread());
        assertFalse(small.isDone(), "the small waiter must not pass the large one");

        sem.release(1);
        assertEquals(1, large.get(), "the large waiter is served first");
        assertFalse(small.isDone());
        sem.release(2);
        assertEquals(2, small.get());
        sem.release(1);
        assertEquals(2, free(sem, 2));
    }

    @Test
    void aLargeWaiterIsNotStarvedByChurningSmallAcquires() throws Exception {
        int n = 4;
        Semaphore sem = new Semaphore(n);
        AtomicBoolean running = new AtomicBoolean(true);
        List<TestSupport.Helper<Integer>> churners = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            churners.add(onNewThread("churn-" + i, () -> {
                int rounds = 0;
                sem.acquire(1);
                while (running.get()) {
                    sem.release(1);
                    sem.acquire(1);
                    rounds++;
                }
                sem.release(1);
                return rounds;
            }));
        }
        var large = onNewThread("large", () -> {
            sem.acquire(n);
            running.set(false);
            sem.release(n);
            return 0;
        });
        large.get(); // fails after TestSupport.WAIT if the large waiter starves
        for (var c : churners) {
            c.get();
        }
        assertEquals(n, free(sem, n));
    }

    @Test
    void aQueuedLargeAcquireThatTimesOutLetsTheSmallOneBehindItProceed() throws Exception {
        ManualTime time = new ManualTime();
        Semaphore sem = new Semaphore(10);
        sem.acquire(1);
        var large = onNewThread("large", () -> {
            try (Scope scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
                sem.acquire(10);
                return "acquired";
            } catch (DeadlineExceededException e) {
                return "deadline exceeded";
            }
        });
        awaitBlocked(large.thread());
        var small = onNewThread("small", () -> {
            sem.acquire(1);
            return "acquired";
        });
        awaitBlocked(small.thread());
        assertFalse(small.isDone(), "queued behind the large request");

        time.advance(Duration.ofSeconds(1));
        assertEquals("deadline exceeded", large.get());
        assertEquals("acquired", small.get());
        sem.release(2);
        assertEquals(10, free(sem, 10));
    }

    @Test
    void anAcquireInAnAlreadyCancelledContextFailsEvenWithPermitsFree() throws Exception {
        Semaphore sem = new Semaphore(3);
        IllegalStateException cause = new IllegalStateException("stop");
        try (Scope scope = Scope.open()) {
            scope.cancel(cause);
            CancelledException e = assertThrows(CancelledException.class, () -> sem.acquire(1));
            assertSame(cause, e.cause());
        }
        assertEquals(3, free(sem, 3), "the failed acquire took nothing");
    }

    @Test
    void cancellationWakesTheOwnerBlockedInAcquireWithoutAnInterrupt() throws Exception {
        Semaphore sem = new Semaphore(1);
        sem.acquire(1);
        CountDownLatch opened = new CountDownLatch(1);
        Scope[] holder = new Scope[1];
        var owner = onNewThread("owner", () -> {
            try (Scope scope = Scope.open()) {
                holder[0] = scope;
                opened.countDown();
                try {
                    sem.acquire(1);
                    return "acquired";
                } catch (CancelledException e) {
                    return "cancelled, interrupted=" + Thread.currentThread().isInterrupted();
                }
            }
        });
        TestSupport.await(opened);
        awaitBlocked(owner.thread());
        holder[0].cancel();
        assertEquals("cancelled, interrupted=false", owner.get());
        sem.release(1);
        assertEquals(1, free(sem, 1));
    }

    @Test
    void aForkBlockedInAcquireIsCancelledByItsFailingSibling() throws Exception {
        Semaphore sem = new Semaphore(1);
        sem.acquire(1);
        IllegalStateException boom = new IllegalStateException("boom");
        CountDownLatch queued = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            Subtask<Void> waiter = scope.fork(() -> {
                queued.countDown();
                sem.acquire(1);
            });
            TestSupport.await(queued);
            scope.fork(() -> {
                throw boom;
            });
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(boom, e.getCause());
            assertEquals(Subtask.State.CANCELLED, waiter.state());
        }
        sem.release(1);
        assertEquals(1, free(sem, 1));
    }

    @Test
    void anInterruptedWaiterThrowsInterruptedExceptionAndLeavesTheQueue() throws Exception {
        Semaphore sem = new Semaphore(2);
        sem.acquire(2);
        var waiter = onNewThread("waiter", () -> {
            sem.acquire(2);
            return "acquired";
        });
        awaitBlocked(waiter.thread());
        waiter.thread().interrupt();
        assertInstanceOf(InterruptedException.class, waiter.failure());
        sem.release(2);
        assertEquals(2, free(sem, 2), "the interrupted waiter neither kept nor lost permits");

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> sem.acquire(1));
        assertFalse(Thread.currentThread().isInterrupted(), "the flag is consumed, as by InterruptedException");
        assertEquals(2, free(sem, 2));
    }

    @Test
    void cancelRacingReleaseNeverLeaksNorDuplicatesAPermit() throws Exception {
        for (int round = 0; round < 500; round++) {
            Semaphore sem = new Semaphore(1);
            sem.acquire(1);
            CountDownLatch queued = new CountDownLatch(1);
            Scope[] holder = new Scope[1];
            var waiter = onNewThread("waiter", () -> {
                try (Scope scope = Scope.open()) {
                    holder[0] = scope;
                    queued.countDown();
                    sem.acquire(1);
                    return true;
                } catch (CancelledException e) {
                    return false;
                }
            });
            TestSupport.await(queued);
            Thread releaser = Thread.ofPlatform().start(() -> sem.release(1));
            holder[0].cancel();
            releaser.join();
            boolean acquired = waiter.get();
            if (acquired) {
                assertFalse(sem.tryAcquire(1), "round " + round + ": the waiter holds the only permit");
                sem.release(1);
            }
            assertEquals(1, free(sem, 1), "round " + round + ", acquired=" + acquired);
        }
    }

    @Test
    void withPermitsReleasesHoweverTheBodyEnds() throws Exception {
        Semaphore sem = new Semaphore(4);
        assertEquals("ok", sem.withPermits(3, () -> {
            assertEquals(1, free(sem, 4));
            return "ok";
        }));
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> sem.withPermits(4, () -> {
            throw boom;
        })));
        assertEquals(4, free(sem, 4));
    }

    @Test
    void acquireZeroReturnsAtOnceUnlessSomeoneIsQueued() throws Exception {
        Semaphore sem = new Semaphore(1);
        sem.acquire(0);
        assertTrue(sem.tryAcquire(0));
        sem.acquire(1);
        var queued = onNewThread("queued", () -> {
            sem.acquire(1);
            return "acquired";
        });
        awaitBlocked(queued.thread());
        assertFalse(sem.tryAcquire(0), "strict FIFO applies to zero too, as in Go");
        sem.release(1);
        assertEquals("acquired", queued.get());
        sem.release(1);
    }

    @Test
    void badInputsAreRejectedWithTheArgumentAndTheValue() {
        assertEquals("permits must be positive, was 0",
                assertThrows(IllegalArgumentException.class, () -> new Semaphore(0)).getMessage());
        assertEquals("permits must be positive, was -2",
                assertThrows(IllegalArgumentException.class, () -> new Semaphore(-2)).getMessage());
        Semaphore sem = new Semaphore(2);
        assertEquals("n must not be negative, was -1",
                assertThrows(IllegalArgumentException.class, () -> sem.acquire(-1)).getMessage());
        assertEquals("n must not be negative, was -1",
                assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(-1)).getMessage());
        assertEquals("n must not be negative, was -1",
                assertThrows(IllegalArgumentException.class, () -> sem.release(-1)).getMessage());
        assertEquals("body", assertThrows(NullPointerException.class, () -> sem.withPermits(1, null)).getMessage());
        assertEquals("Semaphore[held 0 of 2, 0 queued]", sem.toString());
    }
}
