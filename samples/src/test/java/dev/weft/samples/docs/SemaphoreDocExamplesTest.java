package dev.weft.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.Scope;
import dev.weft.Semaphore;
import dev.weft.Subtask;
import dev.weft.time.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of docs/semaphore.md, verbatim (DocSnippetsMatchTest checks that they stay
 * identical), each run with the outcome the page promises.
 */
class SemaphoreDocExamplesTest {

    // ---- the snippets -------------------------------------------------------------------------

    static final long BUDGET_MIB = 256;
    final Semaphore memory = new Semaphore(BUDGET_MIB);

    List<Thumbnail> thumbnails(List<Image> images) throws InterruptedException {
        try (var scope = Scope.open(c -> c.withTimeout(Duration.ofSeconds(30)))) {
            List<Subtask<Thumbnail>> results = new ArrayList<>();
            for (Image image : images) {
                long mib = Math.min(image.sizeMiB(), BUDGET_MIB); // never more than the total
                results.add(scope.fork(() -> memory.withPermits(mib, () -> shrink(image))));
            }
            scope.join();
            return results.stream().map(Subtask::get).toList();
        }
    }

    boolean tryRefresh(Semaphore refreshing, Runnable refresh) {
        if (!refreshing.tryAcquire(1)) {
            return false; // one refresh at a time; a caller that finds one running skips it
        }
        try {
            refresh.run();
            return true;
        } finally {
            refreshing.release(1);
        }
    }

    // ---- the stand-ins the snippets call ------------------------------------------------------

    record Image(String name, long sizeMiB) {}

    record Thumbnail(String name) {}

    final AtomicLong inUse = new AtomicLong();
    final AtomicLong peak = new AtomicLong();

    Thumbnail shrink(Image image) throws InterruptedException {
        long now = inUse.addAndGet(Math.min(image.sizeMiB(), BUDGET_MIB));
        peak.accumulateAndGet(now, Math::max);
        Thread.sleep(2);
        inUse.addAndGet(-Math.min(image.sizeMiB(), BUDGET_MIB));
        return new Thumbnail(image.name() + "-small");
    }

    // ---- what the page promises ---------------------------------------------------------------

    @Test
    void thumbnailsKeepTheDecodeMemoryWithinTheBudgetAndTheInputOrder() throws Exception {
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            images.add(new Image("img" + i, 10 + (i * 37) % 200));
        }
        images.add(new Image("huge", 4096));
        List<Thumbnail> thumbs = thumbnails(images);
        assertEquals(images.size(), thumbs.size());
        assertEquals("img0-small", thumbs.get(0).name());
        assertEquals("huge-small", thumbs.get(40).name());
        assertTrue(peak.get() <= BUDGET_MIB, "peak " + peak.get() + " MiB over a budget of " + BUDGET_MIB);
    }

    @Test
    void aWaitingAcquireEndsAtTheScopesDeadline() throws Exception {
        ManualTime time = new ManualTime();
        Semaphore one = new Semaphore(1);
        one.acquire(1);
        Thread waiter = Thread.currentThread();
        Thread advancer = Thread.ofVirtual().start(() -> {
            while (time.pending() == 0 || waiter.getState() != Thread.State.WAITING) {
                Thread.onSpinWait(); // until the acquire below is parked
            }
            time.advance(Duration.ofSeconds(1));
        });
        try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(1)))) {
            assertThrows(DeadlineExceededException.class, () -> one.acquire(1));
        }
        advancer.join();
        one.release(1);
        assertTrue(one.tryAcquire(1), "the timed-out acquire took nothing");
    }

    @Test
    void tryRefreshSkipsWhileARefreshIsRunning() throws Exception {
        Semaphore refreshing = new Semaphore(1);
        List<String> log = new ArrayList<>();
        boolean outer = tryRefresh(refreshing, () -> log.add("nested: " + tryRefresh(refreshing, () -> log.add("never"))));
        assertTrue(outer);
        assertEquals(List.of("nested: false"), log);
    }
}
