package dev.weft;

import static dev.weft.ParMapTest.thrownBy;
import static dev.weft.TestSupport.awaitCondition;
import static dev.weft.TestSupport.blockUntilInterrupted;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Par.mapOrdered: results in input order on the caller's thread, a reorder buffer of at most `limit`. */
@ExtendWith(LeakCheckExtension.class)
class ParMapOrderedTest {

    @Test
    void theSinkGetsEveryResultInInputOrderOnTheCallersThread() throws Exception {
        Thread caller = Thread.currentThread();
        List<Integer> seen = new ArrayList<>();
        AtomicBoolean sinkOnAnotherThread = new AtomicBoolean();
        AtomicBoolean fnOnTheCaller = new AtomicBoolean();
        Par.mapOrdered(IntStream.range(0, 3_000).boxed().iterator(), 16, i -> {
            if (Thread.currentThread() == caller) {
                fnOnTheCaller.set(true);
            }
            LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(20_000)); // finish out of order
            return i * 3;
        }, r -> {
            if (Thread.currentThread() != caller) {
                sinkOnAnotherThread.set(true);
            }
            seen.add(r); // a plain list: the sink runs on one thread only
        });
        assertEquals(IntStream.range(0, 3_000).map(i -> i * 3).boxed().toList(), seen);
        assertFalse(sinkOnAnotherThread.get(), "the sink runs on the caller's thread");
        assertFalse(fnOnTheCaller.get(), "the function runs in the workers");
    }

    /**
     * The reorder buffer's bound, made to bite: item 0 is slow, so every later result must wait
     * for it. The workers fill the buffer and then stop reading: exactly `limit` items are taken
     * while item 0 is held back, and over the whole run the source is never more than `limit`
     * items ahead of the sink.
     */
    @Test
    void aSlowItemHoldsBackTheSourceAtExactlyLimitItemsAheadOfTheSink() throws Exception {
        int limit = 6;
        AtomicLong taken = new AtomicLong();
        AtomicLong sunk = new AtomicLong();
        AtomicLong maxAhead = new AtomicLong();
        AtomicInteger computed = new AtomicInteger();
        AtomicLong takenWhileHeldBack = new AtomicLong(-1);
        Stream<Integer> source = Stream.iterate(0, i -> i + 1).limit(2_000)
                .peek(i -> maxAhead.accumulateAndGet(taken.incrementAndGet() - sunk.get(), Math::max));
        List<Integer> seen = new ArrayList<>();
        Par.mapOrdered(source, limit, i -> {
            if (i == 0) {
                awaitCondition(() -> computed.get() == limit - 1, "the other workers fill the buffer");
                takenWhileHeldBack.set(taken.get());
            } else {
                computed.incrementAndGet();
            }
            return i;
        }, r -> {
            seen.add(r);
            sunk.incrementAndGet();
        });
        assertEquals(limit, takenWhileHeldBack.get(), "items taken while the first one was held back");
        assertTrue(maxAhead.get() <= limit, "the source ran " + maxAhead.get() + " items ahead of the sink");
        assertEquals(IntStream.range(0, 2_000).boxed().toList(), seen);
    }

    /** An endless source, stopped by the caller from inside the sink: memory stays bounded, and the call ends. */
    @Test
    void anEndlessSourceStreamsUntilTheCallerCancels() throws Exception {
        AtomicLong taken = new AtomicLong();
        AtomicLong sunk = new AtomicLong();
        AtomicLong maxAhead = new AtomicLong();
        Stream<Long> endless = Stream.iterate(0L, i -> i + 1)
                .peek(i -> maxAhead.accumulateAndGet(taken.incrementAndGet() - sunk.get(), Math::max));
        try (Scope scope = Scope.open()) {
            assertThrows(CancelledException.class, () -> Par.mapOrdered(endless, 8, i -> i * i, sq -> {
                long n = sunk.incrementAndGet();
                assertEquals((n - 1) * (n - 1), sq);
                if (n == 50_000) {
                    scope.cancel(); // the owner cancels its own scope: the call's child scope follows
                }
            }));
            scope.join();
        }
        assertEquals(50_000, sunk.get(), "nothing reaches the sink after the cancellation");
        assertTrue(maxAhead.get() <= 8, "ahead " + maxAhead.get());
    }

    @Test
    void aSinkThatThrowsStopsTheWorkersAndIsTheCause() throws Exception {
        IllegalStateException full = new IllegalStateException("disk full");
        AtomicInteger computedAfter = new AtomicInteger();
        AtomicBoolean sinkFailed = new AtomicBoolean();
        ScopeFailedException e = assertThrows(ScopeFailedException.class,
                () -> Par.mapOrdered(Stream.iterate(0, i -> i + 1), 4, i -> {
                    if (sinkFailed.get()) {
                        computedAfter.incrementAndGet();
                    }
                    return i;
                }, r -> {
                    if (r == 100) {
                        sinkFailed.set(true);
                        throw full;
                    }
                }));
        assertSame(full, e.getCause());
        assertTrue(e.getMessage().contains("sink"), e.getMessage());
        assertTrue(computedAfter.get() <= 4, "work went on after the sink failed: " + computedAfter.get());
    }

    @Test
    void aWorkerThatFailsAfterTheSinkFailedIsSuppressedOnWhatIsThrown() throws Exception {
        IllegalStateException full = new IllegalStateException("disk full");
        IllegalStateException cleanup = new IllegalStateException("worker 1 failed while stopping");
        CountDownLatch workerWaiting = new CountDownLatch(1);
        ScopeFailedException e = assertThrows(ScopeFailedException.class,
                () -> Par.mapOrdered(List.of(0, 1), 2, i -> {
                    if (i == 1) {
                        workerWaiting.countDown();
                        try {
                            blockUntilInterrupted();
                        } catch (InterruptedException stopped) {
                            throw cleanup; // a real failure, after the sink's
                        }
                    }
                    return i;
                }, r -> {
                    workerWaiting.await();
                    throw full;
                }));
        assertSame(full, e.getCause(), "the sink failed first");
        assertTrue(Arrays.asList(e.getSuppressed()).contains(cleanup),
                "the worker's later failure is not lost: " + Arrays.toString(e.getSuppressed()));
    }

    @Test
    void aFailingFunctionIsTheCauseAndTheSinkGotOnlyThePrefixBeforeIt() throws Exception {
        IllegalStateException bad = new IllegalStateException("bad record 77");
        List<Integer> seen = new ArrayList<>();
        ScopeFailedException e = assertThrows(ScopeFailedException.class,
                () -> Par.mapOrdered(IntStream.range(0, 1_000).boxed().toList(), 5, i -> {
                    if (i == 77) {
                        throw bad;
                    }
                    return i;
                }, seen::add));
        assertSame(bad, e.getCause());
        assertEquals(IntStream.range(0, seen.size()).boxed().toList(), seen, "an in-order prefix");
        assertTrue(seen.size() <= 77, "the sink got " + seen.size() + " results, item 77 failed");
    }

    @Test
    void nullResultsAreDeliveredAndAnEmptySourceCallsNothing() throws Exception {
        List<String> seen = new ArrayList<>();
        Par.mapOrdered(Arrays.asList("a", null, "c"), 2, s -> s == null ? null : s + "!", seen::add);
        assertEquals(Arrays.asList("a!", null, "c!"), seen);
        Par.mapOrdered(List.<String>of(), 2, s -> s, s -> {
            throw new AssertionError("nothing to sink");
        });
    }

    @Test
    void anErrorFromTheSinkIsThrownAsItself() {
        AssertionError bug = new AssertionError("sink bug");
        assertSame(bug, assertThrows(AssertionError.class, () -> Par.mapOrdered(List.of(1, 2, 3), 2, i -> i, r -> {
            throw bug;
        })));
    }

    @Test
    void anInterruptedExceptionFromTheSinkIsThrownAsItself() {
        InterruptedException stop = new InterruptedException("sink interrupted");
        assertSame(stop, assertThrows(InterruptedException.class, () -> Par.mapOrdered(List.of(1, 2, 3), 2, i -> i, r -> {
            throw stop;
        })));
    }

    @Test
    void theDeadlineWakesTheWaitingCallerWithoutAnInterrupt() throws Exception {
        ManualTime time = new ManualTime();
        var caller = onNewThread("caller", () -> {
            Throwable t = thrownBy(() -> Par.with(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(3)))
                    .mapOrdered(List.of(1, 2, 3), 2, i -> blockUntilInterrupted(), r -> { }));
            return t + " interrupted=" + Thread.currentThread().isInterrupted();
        });
        awaitCondition(() -> time.pending() == 1, "the deadline is scheduled");
        awaitCondition(() -> caller.thread().getState() == Thread.State.WAITING, "the caller waits for item 1");
        time.advance(Duration.ofSeconds(3));
        String outcome = caller.get();
        assertTrue(outcome.startsWith(DeadlineExceededException.class.getName()), outcome);
        assertTrue(outcome.endsWith("interrupted=false"), outcome);
    }

    @Test
    void anInterruptOfTheCallerCancelsTheWorkersAndThrowsInterruptedException() throws Exception {
        AtomicInteger running = new AtomicInteger();
        var caller = onNewThread("caller", () -> {
            Par.mapOrdered(Stream.iterate(0, i -> i + 1), 3, i -> {
                running.incrementAndGet();
                try {
                    return blockUntilInterrupted();
                } finally {
                    running.decrementAndGet();
                }
            }, r -> { });
            return null;
        });
        awaitCondition(() -> running.get() == 3, "three items run");
        caller.thread().interrupt();
        assertInstanceOf(InterruptedException.class, caller.failure());
        assertEquals(0, running.get(), "every worker had ended when the call threw");
    }

    @Test
    void aSourceThatThrowsIsTheCause() {
        IllegalStateException gone = new IllegalStateException("file truncated");
        Stream<Integer> failing = Stream.iterate(0, i -> i + 1).map(i -> {
            if (i == 30) {
                throw gone;
            }
            return i;
        });
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> Par.mapOrdered(failing, 3, i -> i, r -> { }));
        assertSame(gone, e.getCause());
    }

    /** The smallest buffer: one slot, one worker, which must wait for the sink before every item after the first. */
    @Test
    void aLimitOfOneTakesTheNextItemOnlyOnceTheSinkHasTheLastOne() throws Exception {
        AtomicLong taken = new AtomicLong();
        AtomicLong sunk = new AtomicLong();
        AtomicLong maxAhead = new AtomicLong();
        List<Integer> seen = new ArrayList<>();
        Par.mapOrdered(Stream.iterate(0, i -> i + 1).limit(5_000)
                .peek(i -> maxAhead.accumulateAndGet(taken.incrementAndGet() - sunk.get(), Math::max)), 1, i -> i, r -> {
                    seen.add(r);
                    sunk.incrementAndGet();
                });
        assertEquals(IntStream.range(0, 5_000).boxed().toList(), seen);
        assertEquals(1, maxAhead.get());
    }
}
