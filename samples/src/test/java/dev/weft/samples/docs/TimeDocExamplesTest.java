package dev.weft.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelledException;
import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.chan.Channel;
import dev.weft.chan.ReceiveChannel;
import dev.weft.chan.Select;
import dev.weft.time.Debouncer;
import dev.weft.time.ManualTime;
import dev.weft.time.Throttler;
import dev.weft.time.Ticker;
import dev.weft.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code blocks of docs/time.md, verbatim (DocSnippetsMatchTest checks that they stay
 * identical), each run with the outcome the page promises.
 */
class TimeDocExamplesTest {
    private static final Logger log = LoggerFactory.getLogger(TimeDocExamplesTest.class);
    private static final long WAIT_SECONDS = 10;

    // ---- the snippets -------------------------------------------------------------------------

    static final Duration IDLE = Duration.ofMinutes(30);

    int sweepEvery(Duration period, Sessions sessions) throws InterruptedException {
        int sweeps = 0;
        try (Ticker ticker = Ticker.every(period)) { // Go: t := time.NewTicker(period); defer t.Stop()
            while (true) {
                Instant tick = ticker.receive(); // Go: tick := <-t.C (the tick's scheduled time)
                sessions.evictIdleSince(tick.minus(IDLE));
                sweeps++;
            }
        } catch (CancelledException shutdown) { // Go: case <-ctx.Done(): return
            return sweeps;
        }
    }

    int batchUntilClosed(ReceiveChannel<String> lines, Batch batch) throws InterruptedException {
        try (Ticker flushEvery = Ticker.every(Duration.ofMillis(500))) {
            while (true) {
                boolean open = Select.select(
                        lines.onReceiveOrClosed(batch::add, () -> false), // Go: case line, ok := <-lines
                        flushEvery.channel().onReceive(tick -> batch.flush())); // Go: case <-ticker.C
                if (!open) {
                    batch.flush();
                    return batch.flushes();
                }
            }
        }
    }

    void runJob(String id, Runnable job) {
        Timer watchdog = Timer.afterFunc(Duration.ofSeconds(30), () -> log.warn("job {} is slow", id)); // Go: time.AfterFunc
        try {
            job.run();
        } finally {
            watchdog.stop(); // true if the warning was prevented; it never waits for a running one
        }
    }

    Instant pause() throws InterruptedException {
        return Timer.after(Duration.ofMillis(10)).receive(); // Go: <-time.After(10 * time.Millisecond)
    }

    final Debouncer<Document> autosave = Debouncer.<Document>builder(Duration.ofSeconds(2), this::save)
            .maxWait(Duration.ofSeconds(10)) // under continuous typing, still save every 10 s
            .build();

    void onEdit(Document doc) {
        autosave.submit(doc); // many edits, one save once the typing pauses for 2 s
    }

    final Throttler<Integer> progress = Throttler.of(Duration.ofMillis(100), Throttler.Mode.LATEST, this::show);

    void onProgress(int percent) {
        progress.submit(percent); // repaints at most every 100 ms, and always shows the last value
    }

    /** What {@code batchUntilClosed} collects; the batcher's thread adds and flushes, the test reads. */
    static final class Batch {
        private final List<String> pending = new java.util.ArrayList<>();
        final List<List<String>> flushed = new CopyOnWriteArrayList<>();

        boolean add(String line) {
            pending.add(line);
            return true;
        }

        boolean flush() {
            if (!pending.isEmpty()) {
                flushed.add(List.copyOf(pending));
                pending.clear();
            }
            return true;
        }

        int flushes() {
            return flushed.size();
        }
    }

    @Test
    void theBatcherFlushesOnEveryTickAndWhenItsInputIsClosed() throws Exception {
        ManualTime time = new ManualTime();
        Channel<String> lines = Channel.rendezvous();
        Batch batch = new Batch();
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            Subtask<Integer> flushes = scope.fork(() -> batchUntilClosed(lines.receiveOnly(), batch));
            lines.send("a");
            lines.send("b");
            awaitTrue(() -> lines.waitingReceivers() == 1, "the batcher waits in its select again");
            time.advance(Duration.ofMillis(500)); // the tick: flush a and b
            awaitTrue(() -> batch.flushes() == 1, "the tick's flush");
            lines.send("c");
            lines.close(); // the closed clause: flush c and return
            scope.join();
            assertEquals(2, flushes.get());
            assertEquals(List.of(List.of("a", "b"), List.of("c")), batch.flushed);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(200_000); // a poll of the condition, not a wait for time to pass
        }
    }

    @Test
    void savesOnceAfterTheTypingStops() {
        ManualTime time = new ManualTime();
        List<String> saved = new CopyOnWriteArrayList<>();
        Debouncer<String> autosave = Debouncer.<String>builder(Duration.ofSeconds(2), saved::add).timeSource(time).build();
        autosave.submit("h");
        time.advance(Duration.ofSeconds(1));
        autosave.submit("he");
        time.advance(Duration.ofSeconds(1)); // only 1 s of quiet: nothing yet
        autosave.submit("hello");
        time.advance(Duration.ofSeconds(2)); // 2 s of quiet: the trailing edge fires inside advance()
        autosave.close();                    // waits for the save, which runs on its own thread
        assertEquals(List.of("hello"), saved);
    }

    @Test
    void aTickerInAScopeTicksOnTheScopesManualTime() throws InterruptedException {
        ManualTime time = new ManualTime();
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            Ticker ticker = Ticker.every(Duration.ofMinutes(1)); // the scope's clock: virtual
            time.advance(Duration.ofMinutes(3));                // ticks at 1, 2 and 3 min; the slot keeps the first
            assertEquals(time.now().minus(Duration.ofMinutes(2)), ticker.receive()); // its scheduled time
            assertTrue(ticker.tryReceive().isEmpty());          // the ticks at 2 and 3 min were dropped
            ticker.stop();
        }
    }

    @Test
    void aFiredTimerWhoseValueWasNeverReceivedIsStillStopped() {
        ManualTime time = new ManualTime();
        Timer timer = Timer.after(Duration.ofSeconds(1), time);
        time.advance(Duration.ofSeconds(1)); // it fired; nobody has received the value
        assertTrue(timer.stop());            // Go 1.23: true, and the value is discarded
        assertTrue(timer.tryReceive().isEmpty());
    }

    // ---- the stand-ins the snippets call ------------------------------------------------------

    /** Sessions that record every sweep (the cutoff it was given). */
    static final class Sessions {
        final BlockingQueue<Instant> sweeps = new LinkedBlockingQueue<>();

        void evictIdleSince(Instant cutoff) {
            sweeps.add(cutoff);
        }
    }

    record Document(String text) {}

    final BlockingQueue<String> saves = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> shown = new LinkedBlockingQueue<>();

    void save(Document doc) {
        saves.add(doc.text());
    }

    void show(int percent) {
        shown.add(percent);
    }

    // ---- what the page promises ---------------------------------------------------------------

    @Test
    void theSweepLoopSweepsOnEveryTickAndReturnsWhenItsScopeIsCancelled() throws Exception {
        ManualTime time = new ManualTime();
        Sessions sessions = new Sessions();
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            Subtask<Integer> daemon = scope.fork(() -> sweepEvery(Duration.ofMinutes(5), sessions));
            for (int i = 1; i <= 3; i++) {
                while (time.pending() == 0) {
                    Thread.onSpinWait(); // until the daemon's ticker is scheduled
                }
                time.advance(Duration.ofMinutes(5));
                Instant cutoff = sessions.sweeps.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertEquals(time.now().minus(IDLE), cutoff, "sweep " + i + " used the tick's time");
            }
            scope.cancel();
            scope.join();
            assertEquals(3, daemon.get());
        }
        assertEquals(0, time.pending(), "the ticker was stopped");
    }

    @Test
    void theWatchdogIsStoppedWhenTheJobIsQuickAndPauseReturnsAfterItsDelay() throws Exception {
        ManualTime time = new ManualTime();
        try (var scope = Scope.open(c -> c.withTimeSource(time))) {
            CountDownLatch ran = new CountDownLatch(1);
            runJob("quick", ran::countDown);
            assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, time.pending(), "the watchdog was stopped");
        }
        long start = System.nanoTime();
        Instant fired = pause();
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(10));
        assertFalse(fired.isAfter(Instant.now()));
    }

    @Test
    void autosaveSavesTheLastEditAndTheThrottlerShowsTheLastValue() throws Exception {
        for (int i = 0; i < 5; i++) {
            onEdit(new Document("draft " + i));
        }
        autosave.close(); // flushes the pending save
        assertEquals("draft 4", saves.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(saves.isEmpty());
        for (int p = 0; p <= 100; p += 10) {
            onProgress(p);
        }
        progress.close();
        assertEquals(0, shown.poll(WAIT_SECONDS, TimeUnit.SECONDS), "the first value shows at once");
        List<Integer> rest = new CopyOnWriteArrayList<>();
        shown.drainTo(rest);
        assertEquals(100, rest.get(rest.size() - 1), "and the last one is never lost");
    }
}
