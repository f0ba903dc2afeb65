package dev.weft.samples;

import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.chan.Channel;
import dev.weft.chan.ReceiveChannel;
import dev.weft.chan.Select;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batching writer that limits how often the sink is written to: items arrive on a channel one by
 * one, and the writer flushes them in batches, every 100 items or 500 ms after the first item of a
 * batch, whichever comes first, plus a last flush when the channel is closed.
 *
 * <p>Go idiom:
 * <pre>
 * for {
 *     select {
 *     case item, ok := &lt;-in:
 *         if !ok { flush("close"); return }
 *         batch = append(batch, item)
 *         if len(batch) == 100 { flush("size") }
 *     case &lt;-timer.C:    // armed when the first item of a batch arrives
 *         flush("time")
 *     }
 * }
 * </pre>
 * In weft the timer is a {@code Select.onTimeout} for the time left in the window, and
 * {@code onReceiveOrClosed} is {@code item, ok := <-in}.
 *
 * <p>The producer sends 250 items at once (two full batches and 50 more), waits until the writer
 * has flushed the 50 on the timer, then sends 20 and closes: the batches are 100 (size), 100
 * (size), 50 (time), 20 (close).
 */
public final class BatchingWriter implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingWriter.class);
    private static final int BATCH = 100;
    private static final Duration WINDOW = Duration.ofMillis(500);
    private static final Object CLOSED = new Object();

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new BatchingWriter())));
    }

    @Override
    public String title() {
        return "Batching writer: 100 items or 500 ms";
    }

    @Override
    public String goIdiom() {
        return "for { select { case v, ok := <-in: ...; case <-timer.C: flush() } }";
    }

    @Override
    public void run() throws Exception {
        Channel<Integer> items = Channel.buffered(64);
        List<Batch> flushes = new CopyOnWriteArrayList<>();
        List<Integer> written = new CopyOnWriteArrayList<>();
        CountDownLatch threeFlushes = new CountDownLatch(3);
        try (var scope = Scope.open(c -> c.withName("batching"))) {
            Subtask<Void> writer = scope.fork(() -> writeBatches(items.receiveOnly(), batch -> {
                written.addAll(batch.items());
                flushes.add(batch);
                LOG.info("  flush #{}: {} items ({}, {} ms after the batch's first item)", flushes.size(),
                        batch.items().size(), batch.reason(), batch.windowMillis());
                threeFlushes.countDown();
            }));
            scope.fork(() -> {
                for (int i = 0; i < 250; i++) {
                    items.send(i);
                }
                if (!threeFlushes.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the writer did not flush the 50 leftover items on its timer");
                }
                for (int i = 250; i < 270; i++) {
                    items.send(i);
                }
                items.close();
            });
            scope.join();
            Check.that(writer.state() == Subtask.State.SUCCESS, "the writer to end when the channel closes");
        }
        List<String> shape = flushes.stream().map(f -> f.items().size() + " " + f.reason()).toList();
        Check.equal(List.of("100 size", "100 size", "50 time", "20 close"), shape, "the batches");
        Check.that(flushes.get(2).windowMillis() >= WINDOW.toMillis() - 1,
                "the timed flush not to come before the 500 ms window, came after " + flushes.get(2).windowMillis() + " ms");
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 270; i++) {
            expected.add(i);
        }
        Check.equal(expected, written, "every item written once, in order");
    }

    /** One flushed batch. */
    record Batch(List<Integer> items, String reason, long windowMillis) {}

    /** The writer: the select loop of the Go idiom. */
    static void writeBatches(ReceiveChannel<Integer> in, Consumer<Batch> sink)
            throws InterruptedException {
        List<Integer> batch = new ArrayList<>();
        long windowStart = 0;
        while (true) {
            Object got;
            if (batch.isEmpty()) { // no window open: wait for the first item, however long it takes
                got = Select.select(in.onReceiveOrClosed(v -> (Object) v, () -> CLOSED));
            } else {
                Duration left = WINDOW.minusNanos(System.nanoTime() - windowStart);
                got = Select.select(
                        in.onReceiveOrClosed(v -> (Object) v, () -> CLOSED),
                        Select.onTimeout(left.isNegative() ? Duration.ZERO : left, () -> null));
            }
            if (got == null) { // the window is over
                sink.accept(new Batch(List.copyOf(batch), "time", (System.nanoTime() - windowStart) / 1_000_000));
                batch.clear();
            } else if (got == CLOSED) {
                if (!batch.isEmpty()) {
                    sink.accept(new Batch(List.copyOf(batch), "close", (System.nanoTime() - windowStart) / 1_000_000));
                }
                return;
            } else {
                if (batch.isEmpty()) {
                    windowStart = System.nanoTime();
                }
                batch.add((Integer) got);
                if (batch.size() == BATCH) {
                    sink.accept(new Batch(List.copyOf(batch), "size", (System.nanoTime() - windowStart) / 1_000_000));
                    batch.clear();
                }
            }
        }
    }
}
