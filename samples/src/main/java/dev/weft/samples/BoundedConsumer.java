package dev.weft.samples;

import static dev.weft.samples.Check.millisSince;

import dev.weft.Par;
import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.time.TimeSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Go write-up's outage, replayed: a broker hands a consumer a burst of 1 200 000 messages at
 * once, after an outage upstream.
 *
 * <p>Go idiom, the bug: {@code for msg := range messages { go process(msg) }}: one goroutine per
 * message, and the pod went from 200 MB to 12 GB in forty seconds. The fix was a pool of 50 workers
 * reading from the channel (or {@code errgroup.SetLimit(50)}), so that the consumer reads only as
 * fast as it processes. In weft the bounded version is the one-liner:
 * {@code Par.forEach(messages, 50, this::process)}. It never has more than 50 workers, and it
 * never takes more than 50 messages from the broker that are not yet processed, so a burst
 * stays in the broker (where it belongs) instead of in the heap.
 *
 * <p>Graceful shutdown: on SIGTERM or Ctrl-C (a JVM shutdown hook; the tour uses a timer
 * instead), the consumer stops fetching, the messages in flight finish, the offsets are
 * committed, and the rest of the burst stays in the broker for the next consumer. The scenario
 * then "restarts" and drains the rest. It prints the peak heap, the peak of live worker threads
 * (counted by their thread factory) and the messages lost, and fails if any message was lost or
 * processed twice, or if more than 50 workers ever ran.
 *
 * <p>Run it on its own with {@code -Dtour.main=dev.weft.samples.BoundedConsumer}; pass
 * {@code --until-signal} (with {@code exec.args}) to have only a signal stop the first consumer.
 */
public final class BoundedConsumer implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedConsumer.class);
    static final int BURST = 1_200_000;
    static final int WORKERS = 50;
    static final int PAYLOAD_BYTES = 256;
    /** The tour's stand-in for SIGTERM: the first consumer is asked to stop after this long. */
    static final Duration SHUTDOWN_AFTER = Duration.ofMillis(250);

    private final boolean untilSignal;

    public BoundedConsumer() {
        this(false);
    }

    BoundedConsumer(boolean untilSignal) {
        this.untilSignal = untilSignal;
    }

    public static void main(String[] args) {
        boolean untilSignal = List.of(args).contains("--until-signal");
        Tour.exit(Tour.run(List.of(new BoundedConsumer(untilSignal))));
    }

    @Override
    public String title() {
        return "Bounded consumer: a 1.2M-message burst, 50 workers, graceful shutdown";
    }

    @Override
    public String goIdiom() {
        return "for msg := range msgs { go process(msg) } (12 GB) -> a pool of 50 workers / errgroup.SetLimit(50)";
    }

    @Override
    public void run() throws Exception {
        Broker broker = new Broker(BURST);
        LOG.info("the broker holds a burst of {} messages of {} bytes ({} MiB if read at once)", BURST, PAYLOAD_BYTES,
                (long) BURST * PAYLOAD_BYTES >> 20);
        Run first = consume("consumer-1", broker, untilSignal ? null : SHUTDOWN_AFTER);
        Run second = consume("consumer-2 (after the restart)", broker, null);

        long processed = first.processed + second.processed;
        LOG.info("in all: {} processed, {} lost, {} processed twice, {} left in the broker", processed,
                broker.lost(), broker.duplicates.get(), BURST - broker.committed());
        Check.equal(0L, first.lost, "the messages lost by the graceful shutdown");
        Check.equal(0L, second.lost, "the messages lost by the second consumer");
        Check.equal(0L, broker.duplicates.get(), "the messages processed twice");
        Check.equal((long) BURST, processed, "the messages processed by the two consumers together");
        Check.equal((long) BURST, broker.committed(), "the committed offset at the end");
        for (Run r : List.of(first, second)) {
            Check.that(r.peakWorkers <= WORKERS, r.name + " to run at most " + WORKERS + " workers, peak " + r.peakWorkers);
            Check.that(r.workersCreated <= WORKERS,
                    r.name + " to create at most " + WORKERS + " worker threads, created " + r.workersCreated);
            Check.that(r.maxAhead <= WORKERS,
                    r.name + " to fetch at most " + WORKERS + " messages ahead, fetched " + r.maxAhead + " ahead");
        }
    }

    /** One consumer's life: consume until the broker is empty or shutdown is requested, then commit. */
    private Run consume(String name, Broker broker, Duration shutdownAfter) throws InterruptedException {
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("{}: signal received, shutting down gracefully", name);
            stopping.set(true);
            try {
                stopped.await(30, TimeUnit.SECONDS); // let the in-flight messages finish and commit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        TimeSource.Scheduled timer = shutdownAfter == null ? null : TimeSource.system().schedule(shutdownAfter, () -> {
            LOG.info("{}: shutdown requested after {} ms (the tour's SIGTERM)", name, shutdownAfter.toMillis());
            stopping.set(true);
        });

        WorkerThreads workers = new WorkerThreads(name);
        long ackedBefore = broker.acked();
        long start = System.nanoTime();
        HeapPeaks heapPeaks;
        try (var service = Scope.open(c -> c.withName(name))) {
            Subtask<HeapPeaks> heap = service.fork(BoundedConsumer::sampleHeapUntilCancelled);
            // The whole consumer: at most WORKERS messages in flight, the broker read only as fast as they finish.
            Par.with(c -> c.withName(name + " workers").withThreadFactory(workers))
                    .forEach(broker.messages(stopping), WORKERS, m -> process(m, broker));
            broker.commit();
            service.cancel(); // stops the heap sampler
            service.join();
            heapPeaks = heap.get();
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waited for `stopped`, which is now open
            }
        }
        Run run = new Run(name, broker.acked() - ackedBefore, broker.lost(), workers.peak.get(),
                workers.created.get(), broker.maxAhead.getAndSet(0));
        LOG.info("{}: processed {} messages in {} ms; lost {}; peak heap {} MiB in use, {} MiB live after GC; "
                + "peak live workers {} ({} threads created); at most {} messages fetched ahead; {} left in the broker",
                name, run.processed, millisSince(start), run.lost, heapPeaks.used >> 20, heapPeaks.liveAfterGc >> 20,
                run.peakWorkers, run.workersCreated, run.maxAhead, BURST - broker.committed());
        return run;
    }

    /** The per-message work: decode and checksum it ("write it to the database"), then acknowledge it. */
    private static void process(Message m, Broker broker) {
        CRC32 crc = new CRC32();
        crc.update(m.payload);
        if (crc.getValue() == 0x5EED) {
            LOG.info("  offset {} has a lucky checksum", m.offset);
        }
        if (m.offset % 10 == 0) {
            LockSupport.parkNanos(50_000); // one message in ten waits for a slow write
        }
        broker.ack(m.offset);
    }

    /**
     * Samples the heap every 2 ms until the service is cancelled. Returns the peak of the heap in
     * use (which includes garbage not collected yet, so it mostly shows how large the young
     * generation was allowed to grow) and the peak of what the heap pools held right after their
     * latest collection (the live data: the burst is not in it).
     */
    private static HeapPeaks sampleHeapUntilCancelled() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
        long used = 0;
        long live = 0;
        while (true) {
            used = Math.max(used, memory.getHeapMemoryUsage().getUsed());
            live = Math.max(live, pools.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum());
            try {
                Thread.sleep(2);
            } catch (InterruptedException cancelled) {
                return new HeapPeaks(Math.max(used, memory.getHeapMemoryUsage().getUsed()), live);
            }
        }
    }

    private record HeapPeaks(long used, long liveAfterGc) {}

    /** What one consumer did. */
    private record Run(String name, long processed, long lost, int peakWorkers, int workersCreated, long maxAhead) {}

    /** A message as the broker hands it over. */
    record Message(long offset, byte[] payload) {}

    /**
     * A simulated broker partition holding the burst: messages are generated as they are
     * fetched, every fetched message must be acknowledged once, and the committed offset is where
     * a restarted consumer resumes.
     */
    static final class Broker {
        private final int size;
        private final AtomicLong fetchPosition = new AtomicLong();
        private final AtomicLong acked = new AtomicLong();
        private final AtomicLongArray ackBits;
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong maxAhead = new AtomicLong();
        private volatile long committed;

        Broker(int size) {
            this.size = size;
            this.ackBits = new AtomicLongArray((size + 63) / 64);
        }

        /** The consumer's view: fetches the next message until the partition is empty or {@code stopping} is set. */
        Iterator<Message> messages(AtomicBoolean stopping) {
            return new Iterator<>() {
                private Message next;

                @Override
                public boolean hasNext() {
                    if (next == null && !stopping.get()) {
                        next = fetch();
                    }
                    return next != null;
                }

                @Override
                public Message next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Message m = next;
                    next = null;
                    return m;
                }
            };
        }

        private Message fetch() {
            long offset = fetchPosition.get();
            if (offset >= size) {
                return null;
            }
            fetchPosition.set(offset + 1); // one fetcher at a time: Par.forEach reads its source under a lock
            maxAhead.accumulateAndGet(offset + 1 - acked.get(), Math::max);
            byte[] payload = new byte[PAYLOAD_BYTES];
            for (int i = 0; i < payload.length; i += 8) {
                payload[i] = (byte) (offset >>> i);
            }
            return new Message(offset, payload);
        }

        void ack(long offset) {
            long bit = 1L << (offset & 63);
            if ((ackBits.getAndAccumulate((int) (offset >>> 6), bit, (a, b) -> a | b) & bit) != 0) {
                duplicates.incrementAndGet();
            } else {
                acked.incrementAndGet();
            }
        }

        long acked() {
            return acked.get();
        }

        /** Fetched and never acknowledged: what a crash, or a shutdown that is not graceful, would lose. */
        long lost() {
            return fetchPosition.get() - acked.get();
        }

        /** Commits the consumer's position; a restarted consumer resumes there. */
        void commit() {
            committed = fetchPosition.get();
        }

        long committed() {
            return committed;
        }
    }

    /** Virtual threads for the workers, counted: how many were created and how many ran at once. */
    private static final class WorkerThreads implements ThreadFactory {
        private final String name;
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();

        WorkerThreads(String name) {
            this.name = name;
        }

        @Override
        public Thread newThread(Runnable r) {
            return Thread.ofVirtual().name(name + "-worker-" + created.incrementAndGet()).unstarted(() -> {
                peak.accumulateAndGet(live.incrementAndGet(), Math::max);
                try {
                    r.run();
                } finally {
                    live.decrementAndGet();
                }
            });
        }
    }
}
