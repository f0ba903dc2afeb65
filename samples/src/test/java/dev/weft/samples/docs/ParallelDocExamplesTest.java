package dev.weft.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.Par;
import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import dev.weft.Subtask;
import dev.weft.time.ManualTime;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of docs/parallel.md, verbatim (DocSnippetsMatchTest checks that they stay
 * identical), each run with the outcome the page promises.
 */
class ParallelDocExamplesTest {

    // ---- the snippets -------------------------------------------------------------------------

    List<Price> prices(List<String> skus) throws InterruptedException {
        return Par.with(c -> c.withTimeout(Duration.ofSeconds(2)).withName("pricing"))
                .map(skus, 16, sku -> pricing.quote(sku)); // in the order of skus, at most 16 quotes at once
    }

    void consume(Iterator<Message> partition) throws InterruptedException {
        Par.forEach(partition, 50, message -> {
            store(message);                // at most 50 messages in progress
            acknowledge(message.offset());
        });
    }

    void enrich(Stream<String> lines, Writer out) throws InterruptedException {
        Par.mapOrdered(lines, 8, line -> lookup(line), row -> out.write(row + "\n"));
    }

    String hedged(String key) throws InterruptedException {
        return Par.race(List.of(() -> primary.get(key), () -> replica.get(key)));
    }

    List<Object> dashboard(String user) throws InterruptedException {
        return Par.all(List.<Callable<Object>>of(() -> profile(user), () -> orders(user), () -> news()));
    }

    void crawl(List<String> seeds) throws InterruptedException {
        try (var scope = Scope.open(c -> c.withLimit(8).withName("crawler"))) {
            for (String url : seeds) {
                scope.fork(() -> visit(url));  // waits while 8 visits are running
            }
            scope.join();
        }
    }

    boolean offer(Scope workers, Runnable job) {
        return workers.tryFork(job::run).isPresent(); // false: all slots busy, shed the load
    }

    // ---- the stand-ins the snippets call ------------------------------------------------------

    record Price(String sku, long cents) {}

    record Message(long offset, String body) {}

    /** Counts how many callers are inside at once. */
    static final class InFlight {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();

        void enter() {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void leave() {
            now.decrementAndGet();
        }
    }

    final InFlight quotes = new InFlight();
    volatile boolean quotesHang;

    final Pricing pricing = sku -> {
        quotes.enter();
        try {
            if (quotesHang) {
                new CountDownLatch(1).await(); // until the deadline interrupts it
            }
            LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(200_000));
            if (sku.equals("broken")) {
                throw new IllegalStateException("no price for " + sku);
            }
            return new Price(sku, sku.length() * 100L);
        } finally {
            quotes.leave();
        }
    };

    interface Pricing {
        Price quote(String sku) throws Exception;
    }

    final Queue<Long> stored = new ConcurrentLinkedQueue<>();
    final AtomicLong acknowledged = new AtomicLong();
    final InFlight storing = new InFlight();

    void store(Message m) {
        storing.enter();
        Thread.yield();
        stored.add(m.offset());
        storing.leave();
    }

    void acknowledge(long offset) {
        acknowledged.incrementAndGet();
    }

    String lookup(String line) {
        LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(100_000));
        return line.toUpperCase();
    }

    interface Store {
        String get(String key) throws Exception;
    }

    final AtomicBoolean primaryInterrupted = new AtomicBoolean();
    final Store primary = key -> {
        try {
            new CountDownLatch(1).await(); // the primary is having a bad day
            return "never";
        } catch (InterruptedException e) {
            primaryInterrupted.set(true);
            throw e;
        }
    };
    final Store replica = key -> "value of " + key + " from the replica";

    Object profile(String user) {
        return "profile:" + user;
    }

    Object orders(String user) {
        return List.of("order-1", "order-2");
    }

    Object news() {
        return "news";
    }

    final InFlight visits = new InFlight();

    void visit(String url) {
        visits.enter();
        LockSupport.parkNanos(100_000);
        visits.leave();
    }

    // ---- what the page promises ---------------------------------------------------------------

    @Test
    void pricesComeBackInOrderWithAtMostSixteenQuotesAtOnce() throws Exception {
        List<String> skus = IntStream.range(0, 200).mapToObj(i -> "sku-" + i).toList();
        List<Price> result = prices(skus);
        assertEquals(skus, result.stream().map(Price::sku).toList());
        assertTrue(quotes.peak.get() <= 16, "peak " + quotes.peak.get());
        ScopeFailedException e = assertThrows(ScopeFailedException.class, () -> prices(List.of("a", "broken", "c")));
        assertTrue(e.getCause().getMessage().contains("broken"));
    }

    @Test
    void pricesGiveUpAtTheTwoSecondDeadline() throws Exception {
        ManualTime time = new ManualTime();
        quotesHang = true;
        try (var outer = Scope.open(c -> c.withTimeSource(time))) { // the call's timeout runs on this clock
            Subtask<Throwable> call = outer.fork(() -> {
                try {
                    prices(List.of("a", "b", "c"));
                    return null;
                } catch (DeadlineExceededException e) {
                    return e;
                }
            });
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (time.pending() == 0) { // until the call has opened its scope
                assertTrue(System.nanoTime() - giveUp < 0, "the call never scheduled its deadline");
                Thread.onSpinWait();
            }
            time.advance(Duration.ofSeconds(2));
            outer.join();
            assertInstanceOf(DeadlineExceededException.class, call.get());
        }
        assertEquals(0, quotes.now.get(), "every quote had ended when prices threw");
    }

    @Test
    void theConsumerHandlesEveryMessageWithAtMostFiftyInProgress() throws Exception {
        int n = 20_000;
        Iterator<Message> partition = LongStreamIterator.of(n);
        consume(partition);
        assertEquals(n, acknowledged.get());
        assertEquals(n, stored.stream().distinct().count(), "every message stored once");
        assertTrue(storing.peak.get() <= 50, "peak " + storing.peak.get());
    }

    /** A partition of n messages, generated as they are read. */
    static final class LongStreamIterator implements Iterator<Message> {
        private final long n;
        private long next;

        private LongStreamIterator(long n) {
            this.n = n;
        }

        static Iterator<Message> of(long n) {
            return new LongStreamIterator(n);
        }

        @Override
        public boolean hasNext() {
            return next < n;
        }

        @Override
        public Message next() {
            long offset = next++;
            return new Message(offset, "message " + offset);
        }
    }

    @Test
    void enrichWritesTheRowsInTheOrderOfTheLines() throws Exception {
        StringWriter out = new StringWriter(); // not thread-safe: the sink runs on this thread only
        List<String> lines = IntStream.range(0, 500).mapToObj(i -> "line " + i).toList();
        enrich(lines.stream(), out);
        assertEquals(lines.stream().map(l -> l.toUpperCase() + "\n").collect(Collectors.joining()), out.toString());
    }

    @Test
    void hedgedTakesTheReplicaAndTheSlowPrimaryIsInterrupted() throws Exception {
        assertEquals("value of k from the replica", hedged("k"));
        assertTrue(primaryInterrupted.get(), "the loser was interrupted before race returned");
    }

    @Test
    void dashboardKeepsTheOrderOfItsTasks() throws Exception {
        assertEquals(List.of("profile:ann", List.of("order-1", "order-2"), "news"), dashboard("ann"));
    }

    @Test
    void crawlNeverRunsMoreThanEightVisits() throws Exception {
        crawl(IntStream.range(0, 300).mapToObj(i -> "https://example.org/" + i).toList());
        assertTrue(visits.peak.get() <= 8, "peak " + visits.peak.get());
        assertEquals(0, visits.now.get());
    }

    @Test
    void offerShedsTheLoadWhenEverySlotIsBusy() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        try (var workers = Scope.open(c -> c.withLimit(1))) {
            assertTrue(offer(workers, () -> {
                try {
                    busy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertFalse(offer(workers, () -> { }), "the only slot is busy");
            busy.countDown();
            workers.join();
        }
    }
}
