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
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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

/** Par.forEach: the lazy, bounded pull (the Kafka consumer), its failures, cancellation and deadlines. */
@ExtendWith(LeakCheckExtension.class)
class ParForEachTest {

    /**
     * A lazily generated source that records, at every {@code next()}, how far it is ahead of the
     * finished actions: the items taken minus the items done.
     */
    static final class Generator implements Iterator<Integer> {
        final int size;
        final AtomicLong taken = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final AtomicLong maxAhead = new AtomicLong();
        int next;

        Generator(int size) {
            this.size = size;
        }

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Integer next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            maxAhead.accumulateAndGet(taken.incrementAndGet() - done.get(), Math::max);
            return next++;
        }

        void finished() {
            done.incrementAndGet();
        }
    }

    @Test
    void theSourceIsReadLazilyNeverMoreThanLimitItemsAheadOfTheFinishedActions() throws Exception {
        Generator source = new Generator(20_000);
        AtomicLong sum = new AtomicLong();
        Par.forEach(source, 8, i -> {
            if ((i & 7) == 0) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(5_000));
            }
            sum.addAndGet(i);
            source.finished();
        });
        assertEquals(20_000L * 19_999 / 2, sum.get(), "every item was processed once");
        assertTrue(source.maxAhead.get() <= 8, "read " + source.maxAhead.get() + " items ahead with a limit of 8");
        assertTrue(source.maxAhead.get() >= 2, "the items ran in parallel");
    }

    /** Backpressure, exactly: with every worker busy nobody reads, so exactly `limit` items have been taken. */
    @Test
    void whileEveryWorkerIsBusyTheSourceIsNotReadAtAll() throws Exception {
        int limit = 4;
        Generator endless = new Generator(Integer.MAX_VALUE);
        AtomicInteger busy = new AtomicInteger();
        CountingThreadFactory threads = new CountingThreadFactory();
        try (Scope outer = Scope.open()) {
            Subtask<Void> consumer = outer.fork(() -> Par.with(c -> c.withThreadFactory(threads))
                    .forEach(endless, limit, i -> {
                        busy.incrementAndGet();
                        blockUntilInterrupted();
                    }));
            awaitCondition(() -> busy.get() == limit, "every worker is busy");
            assertEquals(limit, endless.taken.get(), "an item is read only when a worker is free for it");
            assertEquals(limit, threads.created());
            outer.cancel();
            assertThrows(CancelledException.class, outer::join);
            assertEquals(Subtask.State.CANCELLED, consumer.state());
        }
        assertEquals(limit, endless.taken.get());
    }

    @Test
    void iterablesAndStreamsArePulledLazilyToo() throws Exception {
        AtomicLong sum = new AtomicLong();
        Par.forEach(IntStream.range(0, 1000).boxed().toList(), 4, i -> sum.addAndGet(i));
        assertEquals(499_500, sum.get());

        AtomicInteger generated = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        Stream<Integer> lazy = Stream.iterate(0, i -> i + 1).limit(5_000)
                .peek(i -> maxAhead.accumulateAndGet(generated.incrementAndGet() - done.get(), Math::max));
        Par.forEach(lazy, 6, i -> done.incrementAndGet());
        assertEquals(5_000, done.get());
        assertTrue(maxAhead.get() <= 6, "the stream ran " + maxAhead.get() + " items ahead");
    }

    @Test
    void aFailingActionIsTheCauseAndStopsTheReading() throws Exception {
        Generator source = new Generator(Integer.MAX_VALUE);
        IllegalStateException poison = new IllegalStateException("poison message 100");
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> Par.forEach(source, 5, i -> {
            if (i == 100) {
                throw poison;
            }
            if (i > 100) {
                // Each other worker holds at most one item taken after the poison until the failure's
                // cancellation interrupts it, so the bound below does not depend on timing.
                TestSupport.blockUntilInterrupted();
            }
            source.finished();
        }));
        assertSame(poison, e.getCause());
        assertTrue(e.getMessage().contains("Par.forEach"), e.getMessage());
        long taken = source.taken.get();
        assertTrue(taken >= 101 && taken <= 101 + 4,
                "read " + taken + " items of an endless source: at most one more per other worker");
    }

    @Test
    void aSourceThatThrowsFailsTheCallAndIsNeverReadAgain() throws Exception {
        IllegalStateException broken = new IllegalStateException("broker connection lost");
        AtomicInteger callsAfterTheFailure = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Iterator<Integer> flaky = new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                if (failed.get()) {
                    callsAfterTheFailure.incrementAndGet();
                }
                return true;
            }

            @Override
            public Integer next() {
                if (failed.get()) {
                    callsAfterTheFailure.incrementAndGet();
                }
                if (++n == 50) {
                    failed.set(true);
                    throw broken;
                }
                return n;
            }
        };
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> Par.forEach(flaky, 4, i -> Thread.yield()));
        assertSame(broken, e.getCause());
        assertEquals(0, callsAfterTheFailure.get());
    }

    @Test
    void threadsAreStartedOnlyAsItemsArrive() throws Exception {
        CountingThreadFactory threads = new CountingThreadFactory();
        Par.with(c -> c.withThreadFactory(threads)).forEach(List.of(1, 2, 3), 50, i -> { });
        assertTrue(threads.created() <= 4, "three items took " + threads.created() + " threads");

        CountingThreadFactory none = new CountingThreadFactory();
        Par.with(c -> c.withThreadFactory(none)).forEach(List.of(), 50, i -> { });
        assertEquals(1, none.created(), "one worker finds the source empty");
    }

    /** A trickle of messages, as from a quiet broker: the consumer keeps few workers, whatever its limit. */
    @Test
    void aSlowSourceKeepsFewWorkers() throws Exception {
        BlockingQueue<Integer> broker = new ArrayBlockingQueue<>(1);
        CountingThreadFactory threads = new CountingThreadFactory();
        AtomicInteger handled = new AtomicInteger();
        Iterator<Integer> messages = new Iterator<>() {
            Integer next;

            @Override
            public boolean hasNext() {
                try {
                    next = broker.take();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return next >= 0;
            }

            @Override
            public Integer next() {
                return next;
            }
        };
        var consumer = onNewThread("consumer", () -> {
            Par.with(c -> c.withThreadFactory(threads)).forEach(messages, 50, m -> handled.incrementAndGet());
            return handled.get();
        });
        for (int i = 0; i < 200; i++) {
            broker.put(i);
            int expected = i + 1;
            awaitCondition(() -> handled.get() == expected, "message " + expected + " handled");
        }
        broker.put(-1);
        assertEquals(200, consumer.get());
        assertTrue(threads.created() <= 3, "a trickle of 200 messages took " + threads.created() + " workers");
    }

    @Test
    void theDeadlineEndsAForEachBlockedInTheSourceAndInTheActions() throws Exception {
        ManualTime time = new ManualTime();
        BlockingQueue<Integer> empty = new ArrayBlockingQueue<>(1);
        Iterator<Integer> blocking = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                try {
                    return empty.take(); // never arrives: the worker blocks inside the source
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted reading the source", e);
                }
            }
        };
        var caller = onNewThread("caller", () -> thrownBy(() -> Par.with(c -> c.withTimeSource(time)
                .withTimeout(Duration.ofSeconds(5))).forEach(blocking, 3, i -> { })));
        awaitCondition(() -> time.pending() == 1, "the deadline is scheduled");
        time.advance(Duration.ofSeconds(5));
        assertInstanceOf(DeadlineExceededException.class, caller.get());
    }

    @Test
    void anInterruptOfTheCallerEndsTheCallWithInterruptedException() throws Exception {
        AtomicInteger started = new AtomicInteger();
        var caller = onNewThread("caller", () -> {
            Par.forEach(new Generator(1000), 2, i -> {
                started.incrementAndGet();
                blockUntilInterrupted();
            });
            return null;
        });
        awaitCondition(() -> started.get() == 2, "both workers are busy");
        caller.thread().interrupt();
        assertInstanceOf(InterruptedException.class, caller.failure());
        assertFalse(caller.thread().isInterrupted() && caller.thread().isAlive());
    }
}
