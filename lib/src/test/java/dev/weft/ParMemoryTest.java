package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Go write-up's outage, replayed against weft in a JVM with a 128 MiB heap (the {@code memory}
 * execution of lib/pom.xml runs this class alone with {@code -Xmx128m}; the default execution
 * skips it): a lazily generated burst of 1 200 000 messages of 1 KiB each (1.2 GiB in all, ten
 * times the heap) through {@code Par.forEach} and {@code Par.mapOrdered} with a limit of 50.
 *
 * <p>It fails if the source were read eagerly (1.2 GiB would not fit: OutOfMemoryError, and the
 * read-ahead check), if a thread were started per message (1.2M blocked threads holding their
 * message would not fit either, and the thread count check), or if more than 50 workers ran.
 */
@ExtendWith(LeakCheckExtension.class)
class ParMemoryTest {
    static final int MESSAGES = 1_200_000;
    static final int LIMIT = 50;
    static final int PAYLOAD_BYTES = 1024;

    /** A message as a broker would hand it over: an offset and a payload. */
    record Message(long offset, byte[] payload) {}

    /** The simulated broker: generates each message when it is asked for the next one. */
    static final class Burst implements Iterator<Message> {
        final AtomicLong taken = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final AtomicLong maxAhead = new AtomicLong();
        private long next;

        @Override
        public boolean hasNext() {
            return next < MESSAGES;
        }

        @Override
        public Message next() {
            if (next >= MESSAGES) {
                throw new NoSuchElementException();
            }
            maxAhead.accumulateAndGet(taken.incrementAndGet() - done.get(), Math::max);
            byte[] payload = new byte[PAYLOAD_BYTES];
            payload[0] = (byte) next;
            payload[PAYLOAD_BYTES - 1] = (byte) (next >>> 8);
            return new Message(next++, payload);
        }
    }

    private static long checksum(Message m) {
        return m.offset() * 31 + m.payload()[0] + m.payload()[PAYLOAD_BYTES - 1];
    }

    private static void assertSmallHeap() {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max <= 160L << 20, "this test must run with -Xmx128m (lib/pom.xml, execution 'memory'), max heap was "
                + (max >> 20) + " MiB");
    }

    @Test
    void forEachConsumesTheWholeBurstWithFiftyWorkersAndNeverReadsMoreThanFiftyAhead() throws Exception {
        assertSmallHeap();
        Burst broker = new Burst();
        CountingThreadFactory workers = new CountingThreadFactory();
        AtomicLong sum = new AtomicLong();
        Par.with(c -> c.withThreadFactory(workers).withName("consumer")).forEach(broker, LIMIT, m -> {
            sum.addAndGet(checksum(m));
            broker.done.incrementAndGet();
        });
        assertEquals(MESSAGES, broker.done.get(), "every message was handled, none lost");
        assertEquals(MESSAGES, broker.taken.get());
        assertTrue(workers.peak() <= LIMIT, "peak live worker threads " + workers.peak());
        assertTrue(workers.created() <= LIMIT, "worker threads created " + workers.created());
        assertTrue(broker.maxAhead.get() <= LIMIT, "the source ran " + broker.maxAhead.get() + " messages ahead");
        long expected = 0;
        for (long i = 0; i < MESSAGES; i++) {
            expected += i * 31 + (byte) i + (byte) (i >>> 8);
        }
        assertEquals(expected, sum.get());
    }

    @Test
    void mapOrderedStreamsTheWholeBurstInOrderWithABufferOfFifty() throws Exception {
        assertSmallHeap();
        Burst broker = new Burst();
        CountingThreadFactory workers = new CountingThreadFactory();
        AtomicLong expectedOffset = new AtomicLong();
        Par.with(c -> c.withThreadFactory(workers)).mapOrdered(broker, LIMIT, m -> new Message(m.offset(), m.payload()), m -> {
            if (m.offset() != expectedOffset.getAndIncrement()) {
                throw new AssertionError("out of order: " + m.offset() + " after " + (expectedOffset.get() - 2));
            }
            broker.done.incrementAndGet();
        });
        assertEquals(MESSAGES, expectedOffset.get());
        assertTrue(workers.peak() <= LIMIT, "peak live worker threads " + workers.peak());
        assertTrue(broker.maxAhead.get() <= LIMIT, "the source ran " + broker.maxAhead.get() + " messages ahead of the sink");
    }
}
