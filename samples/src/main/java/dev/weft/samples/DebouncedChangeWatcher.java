package dev.weft.samples;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.time.Debouncer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A debounced change-watcher: a {@link WatchService} on a temporary directory reports every file
 * event, and a {@link Debouncer} turns each burst of events into one reload, run once the
 * directory has been quiet for a while.
 *
 * <p>Go idiom: an fsnotify watcher goroutine, and a debounce built from
 * {@code timer := time.AfterFunc(quiet, reload)} with {@code timer.Reset(quiet)} on every event.
 * In weft the watcher is a fork of a scope, each event is a {@code submit}, and the debouncer runs
 * the reload on a virtual thread of its own, never two at once. A reload that is still running
 * when the next burst ends delays the next reload rather than overlapping it. On shutdown the
 * scope's cancellation interrupts the watcher's blocking {@code take()}, and
 * {@code debouncer.close()} runs a reload still pending and waits for it.
 */
public final class DebouncedChangeWatcher implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(DebouncedChangeWatcher.class);
    private static final Duration QUIET = Duration.ofMillis(300);

    /** What one reload saw. */
    record Reload(Path trigger, long files) {}

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new DebouncedChangeWatcher())));
    }

    @Override
    public String title() {
        return "Debounced change-watcher on a real directory";
    }

    @Override
    public String goIdiom() {
        return "fsnotify watcher + time.AfterFunc(quiet, reload) with timer.Reset(quiet) on every event";
    }

    @Override
    public void run() throws Exception {
        Path dir = Files.createTempDirectory("weft-watch");
        BlockingQueue<Reload> reloads = new LinkedBlockingQueue<>();
        AtomicInteger reloadCount = new AtomicInteger();
        try {
            Subtask<Integer> watcher;
            try (WatchService watchService = dir.getFileSystem().newWatchService();
                    var scope = Scope.open(c -> c.withName("config-watcher"))) {
                dir.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
                Debouncer<Path> reload = Debouncer.<Path>builder(QUIET, trigger -> {
                    long files = countFiles(dir);
                    LOG.info("  reload (last event: {}): {} files", trigger.getFileName(), files);
                    reloadCount.incrementAndGet();
                    reloads.add(new Reload(trigger, files));
                }).name("config-reload").build();
                watcher = scope.fork(() -> watch(dir, watchService, reload));

                LOG.info("burst 1: writing 12 files");
                for (int i = 0; i < 12; i++) {
                    Files.writeString(dir.resolve("app-" + i + ".conf"), "setting=" + i);
                }
                Reload first = awaitReload(reloads, 12);
                LOG.info("burst 2: rewriting 3 files, deleting 1");
                for (int i = 0; i < 3; i++) {
                    Files.writeString(dir.resolve("app-" + i + ".conf"), "setting=changed");
                }
                Files.delete(dir.resolve("app-11.conf"));
                Reload second = awaitReload(reloads, 11);

                LOG.info("shutting down: cancelling the watcher, closing the debouncer");
                scope.cancel();
                scope.join();
                reload.close();
                Check.equal(12L, first.files(), "the files the first reload saw");
                Check.equal(11L, second.files(), "the files the last reload saw");
            }
            int events = watcher.get();
            int count = reloadCount.get();
            LOG.info("{} file events, {} reloads", events, count);
            Check.that(events >= 16, "the watcher to have seen an event per file at least (16), saw " + events);
            Check.that(count <= 4, "each burst to give one reload (two at most on a stalled machine), got " + count);
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** The watcher task: every event becomes a submit; returns the number of events when cancelled. */
    static int watch(Path dir, WatchService watchService, Debouncer<Path> reload) {
        int events = 0;
        try {
            while (true) {
                WatchKey key = watchService.take(); // interrupted by the scope's cancellation
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path name) {
                        reload.submit(dir.resolve(name));
                        events++;
                    }
                }
                key.reset();
            }
        } catch (InterruptedException shutdown) {
            return events;
        }
    }

    /** Waits (up to 10 s) for the reload that sees {@code files} files, skipping earlier ones of a split burst. */
    private static Reload awaitReload(BlockingQueue<Reload> reloads, long files) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Reload r = reloads.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new Check.Failed("expected a reload that sees " + files + " files within 10 s");
            }
            if (r.files() == files) {
                return r;
            }
            LOG.info("  (an early reload of a burst split by a stalled machine saw {} files)", r.files());
        }
    }

    private static long countFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
