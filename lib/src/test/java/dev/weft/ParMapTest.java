package dev.weft;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Par.map: Jox's par suite (order, limit, fail-fast), the bound on tasks and threads, cancellation and deadlines. */
@ExtendWith(LeakCheckExtension.class)
class ParMapTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** What {@code call} threw (a helper's future would turn a thrown CancellationException into its own). */
    static Throwable thrownBy(CheckedRunnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void jitter() {
        LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(20_000));
    }

    @Test
    void resultsComeBackInInputOrderWhateverOrderTheyFinishIn() throws Exception {
        List<String> out = Par.map(range(500), 16, i -> {
            jitter();
            return "v" + i;
        });
        assertEquals(range(500).stream().map(i -> "v" + i).toList(), out);
        assertThrows(UnsupportedOperationException.class, () -> out.set(0, "x"), "the result is unmodifiable");
    }

    /** Jox's testParLimitRunsUpToGivenNumberOfComputationsInParallel: 9 tasks, limit 2, observed max exactly 2. */
    @Test
    void limitTwoOverNineItemsHasAnObservedMaxConcurrencyOfExactlyTwo() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CyclicBarrier firstTwoTogether = new CyclicBarrier(2);
        List<Integer> result = Par.map(IntStream.rangeClosed(1, 9).boxed().toList(), 2, i -> {
            int current = running.incrementAndGet();
            max.accumulateAndGet(current, Math::max);
            if (i <= 2) {
                firstTwoTogether.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS); // both alive at once
            }
            jitter();
            running.decrementAndGet();
            return i * 2;
        });
        assertEquals(List.of(2, 4, 6, 8, 10, 12, 14, 16, 18), result);
        assertEquals(2, max.get());
    }

    /**
     * Jox's testParLimitInterruptsOtherComputationsIfOneFails, with latches instead of sleeps:
     * limit 2 over 9 items; items 0 and 1 finish, then item 3 fails while item 2 runs. Item 2 is
     * interrupted, no item after 3 ever starts, and nothing runs once map has thrown.
     */
    @Test
    void aFailingFourthItemInterruptsTheRunningOneAndStopsNewStarts() throws Exception {
        Set<Integer> started = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean itemTwoInterrupted = new AtomicBoolean();
        CyclicBarrier firstTwo = new CyclicBarrier(2);
        IllegalStateException boom = new IllegalStateException("boom");
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> Par.map(range(9), 2, i -> {
            started.add(i);
            running.incrementAndGet();
            try {
                if (i < 2) {
                    firstTwo.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } else if (i == 2) {
                    try {
                        blockUntilInterrupted();
                    } catch (InterruptedException interrupted) {
                        itemTwoInterrupted.set(true);
                        throw interrupted;
                    }
                } else if (i == 3) {
                    throw boom;
                }
                return i;
            } finally {
                running.decrementAndGet();
            }
        }));
        assertSame(boom, e.getCause());
        assertEquals(0, running.get(), "map returned with an item still running");
        assertTrue(started.containsAll(List.of(0, 1, 3)), "started " + started);
        assertTrue(started.stream().allMatch(i -> i <= 3), "an item after the failing one started: " + started);
        if (started.contains(2)) {
            assertTrue(itemTwoInterrupted.get(), "the running item was interrupted");
        }
        assertTrue(e.getMessage().contains("Par.map"), e.getMessage());
    }

    @Test
    void everyFailureAfterTheFirstIsSuppressed() throws Exception {
        CyclicBarrier allThree = new CyclicBarrier(3);
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> Par.map(range(3), 3, i -> {
            allThree.await(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new IllegalStateException("failure " + i);
        }));
        List<String> all = new ArrayList<>();
        all.add(e.getCause().getMessage());
        Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).forEach(all::add);
        all.sort(null);
        assertEquals(List.of("failure 0", "failure 1", "failure 2"), all);
    }

    @Test
    void neverMoreThanLimitThreadsAreCreatedAndOnlyAsWorkIsClaimed() throws Exception {
        CountingThreadFactory many = new CountingThreadFactory();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peakRunning = new AtomicInteger();
        List<Integer> out = Par.with(c -> c.withThreadFactory(many)).map(range(10_000), 8, i -> {
            peakRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.yield();
            running.decrementAndGet();
            return i;
        });
        assertEquals(range(10_000), out);
        assertTrue(many.created() <= 8, "created " + many.created() + " threads for a limit of 8");
        assertTrue(many.peak() <= 8, "peak " + many.peak());
        assertTrue(peakRunning.get() <= 8, "peak running " + peakRunning.get());

        CountingThreadFactory few = new CountingThreadFactory();
        assertEquals(List.of(0, 1, 2), Par.with(c -> c.withThreadFactory(few)).map(range(3), 50, i -> i));
        assertTrue(few.created() <= 3, "three items need at most three threads, created " + few.created());

        CountingThreadFactory none = new CountingThreadFactory();
        assertEquals(List.of(), Par.with(c -> c.withThreadFactory(none)).map(List.of(), 50, i -> i));
        assertEquals(0, none.created());
    }

    @Test
    void theCurrentDeadlineCancelsTheMapAndItThrowsDeadlineExceeded() throws Exception {
        ManualTime time = new ManualTime();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        try (Scope outer = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
            Subtask<Throwable> call = outer.fork(() -> {
                try {
                    Par.map(range(100), 4, i -> {
                        started.incrementAndGet();
                        try {
                            return blockUntilInterrupted();
                        } catch (InterruptedException e) {
                            interrupted.incrementAndGet();
                            throw e;
                        }
                    });
                    return null;
                } catch (DeadlineExceededException e) {
                    return e;
                }
            });
            awaitCondition(() -> started.get() == 4, "four items run under the inherited deadline");
            time.advance(Duration.ofSeconds(1));
            outer.join(); // the task caught the exception: the outer scope's own task succeeded
            assertInstanceOf(DeadlineExceededException.class, call.get());
        }
        assertEquals(4, interrupted.get(), "the four running items were interrupted");
    }

    @Test
    void itsOwnTimeoutEndsTheCallWithDeadlineExceeded() throws Exception {
        ManualTime time = new ManualTime();
        var caller = onNewThread("caller", () -> thrownBy(() -> Par.with(c -> c.withTimeSource(time)
                .withTimeout(Duration.ofMillis(200))).map(range(10), 2, i -> blockUntilInterrupted())));
        awaitCondition(() -> time.pending() == 1, "the call's deadline is scheduled");
        time.advance(Duration.ofMillis(200));
        assertInstanceOf(DeadlineExceededException.class, caller.get());
    }

    @Test
    void aCancelledContextFailsTheCallAtOnceEvenWithNothingToDo() throws Exception {
        AtomicBoolean called = new AtomicBoolean();
        IllegalStateException cause = new IllegalStateException("stop");
        try (Scope scope = Scope.open()) {
            scope.cancel(cause);
            assertSame(cause, assertThrows(CancelledException.class, () -> Par.map(List.of(), 2, i -> i)).cause());
            assertSame(cause, assertThrows(CancelledException.class, () -> Par.map(range(5), 2, i -> {
                called.set(true);
                return i;
            })).cause());
            scope.join();
        }
        assertFalse(called.get());
    }

    @Test
    void anInterruptOfTheCallerCancelsTheWorkWaitsForItAndThrowsInterruptedException() throws Exception {
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        var caller = onNewThread("caller", () -> Par.map(range(10), 3, i -> {
            started.incrementAndGet();
            try {
                return blockUntilInterrupted();
            } finally {
                ended.incrementAndGet();
            }
        }));
        awaitCondition(() -> started.get() == 3, "three items run");
        caller.thread().interrupt();
        assertInstanceOf(InterruptedException.class, caller.failure());
        assertEquals(started.get(), ended.get(), "every started item had ended when map threw");
    }

    @Test
    void anErrorIsThrownAsItselfNotWrapped() {
        AssertionError bug = new AssertionError("bug");
        assertSame(bug, assertThrows(AssertionError.class, () -> Par.map(range(5), 2, i -> {
            if (i == 1) {
                throw bug;
            }
            return i;
        })));
    }

    @Test
    void nullElementsReachTheFunctionAndNullResultsAreKept() throws Exception {
        List<String> in = Arrays.asList("a", null, "c");
        assertEquals(Arrays.asList("A", null, "C"), Par.map(in, 2, s -> s == null ? null : s.toUpperCase()));
    }

    @Test
    void anyCollectionWorksInItsIterationOrder() throws Exception {
        Set<String> set = new LinkedHashSet<>(List.of("x", "y", "z"));
        assertEquals(List.of("xx", "yy", "zz"), Par.map(set, 2, s -> s + s));
    }

    @Test
    void theCallsScopeIsAChildOfTheCurrentContextWithItsValuesAndItsOwnName() throws Exception {
        Context.Key<String> tenant = Context.key("tenant");
        try (Scope scope = Scope.open(c -> c.with(tenant, "acme"))) {
            assertEquals(List.of("acme", "acme"), Par.map(range(2), 2, i -> Context.current().get(tenant).orElseThrow()));
            ScopeFailedException e = assertThrows(ScopeFailedException.class,
                    () -> Par.with(c -> c.withName("thumbnails")).map(range(2), 2, i -> {
                        throw new IllegalStateException("x");
                    }));
            assertTrue(e.getMessage().contains("thumbnails"), e.getMessage());
            scope.join();
        }
    }
}
