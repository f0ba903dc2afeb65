package dev.weft.samples;

import static dev.weft.samples.Check.millisSince;

import dev.weft.CancelledException;
import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ticker-driven cleanup daemon with graceful shutdown: a background task wakes up every period
 * and evicts the sessions that have been idle too long, while the service keeps using the others.
 * On shutdown the daemon finishes its current sweep, does a last one, and returns.
 *
 * <p>Go idiom:
 * <pre>{@code
 * ticker := time.NewTicker(period)
 * defer ticker.Stop()
 * for {
 *     select {
 *     case <-ctx.Done():
 *         store.EvictIdle(time.Now())    // a last sweep
 *         return nil
 *     case now := <-ticker.C:
 *         store.EvictIdle(now)
 *     }
 * }
 * }</pre>
 * In weft the daemon is a fork of the service's scope. {@code ticker.receive()} is woken by the
 * scope's cancellation (it throws {@link CancelledException}), so there is no {@code select}: the
 * loop catches it, sweeps once more and returns normally, and {@code join()} reports a clean
 * shutdown. try-with-resources stops the ticker ({@code defer ticker.Stop()}). The tick's value is
 * its scheduled fire time, which is what the sweep compares the sessions' last use with.
 */
public final class SessionCleanupDaemon implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCleanupDaemon.class);
    private static final Duration PERIOD = Duration.ofMillis(100);
    private static final Duration IDLE_TTL = Duration.ofMillis(250);
    private static final Duration RUN_FOR = Duration.ofMillis(1_200);

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new SessionCleanupDaemon())));
    }

    @Override
    public String title() {
        return "Ticker-driven session cleanup with graceful shutdown";
    }

    @Override
    public String goIdiom() {
        return "time.NewTicker + defer ticker.Stop() + for { select { case <-ctx.Done(): return; case now := <-ticker.C: evict(now) } }";
    }

    @Override
    public void run() throws Exception {
        SessionStore store = new SessionStore();
        for (int i = 0; i < 10; i++) {
            store.touch("active-" + i);
            store.touch("idle-" + i);
        }
        long shutdownTook;
        Subtask<Integer> daemon;
        try (var scope = Scope.open(c -> c.withName("session-service"))) {
            daemon = scope.fork(() -> cleanUpEvery(PERIOD, store));
            long start = System.nanoTime();
            while (millisSince(start) < RUN_FOR.toMillis()) {
                for (int i = 0; i < 10; i++) {
                    store.touch("active-" + i); // the service keeps using these
                }
                Thread.sleep(PERIOD.dividedBy(2));
            }
            long stopping = System.nanoTime();
            LOG.info("shutting down: cancelling the service scope");
            scope.cancel();
            scope.join(); // returns normally: the daemon caught the cancellation and returned
            shutdownTook = millisSince(stopping);
        }
        LOG.info("daemon ran {} sweeps, evicted {}; {} sessions left; shutdown took {} ms", daemon.get(),
                store.evicted.get(), store.sessions.size(), shutdownTook);

        Check.equal(Subtask.State.SUCCESS, daemon.state(), "the daemon's state after a graceful shutdown");
        Check.that(daemon.get() >= 3, "the daemon to have swept at least 3 times in " + RUN_FOR.toMillis() + " ms, swept "
                + daemon.get());
        for (int i = 0; i < 10; i++) {
            Check.that(!store.sessions.containsKey("idle-" + i), "idle-" + i + " to have been evicted");
            Check.that(store.sessions.containsKey("active-" + i), "active-" + i + " to have been kept");
        }
        Check.equal(10, store.evicted.get(), "the number of evicted sessions");
        Check.that(shutdownTook < 2_000, "the shutdown to be prompt (the ticker wait is woken by the cancellation), took "
                + shutdownTook + " ms");
    }

    /** The daemon: sweep on every tick until the scope is cancelled, then sweep once more and return. */
    static int cleanUpEvery(Duration period, SessionStore store) throws InterruptedException {
        int sweeps = 0;
        try (Ticker ticker = Ticker.every(period)) {
            while (true) {
                Instant tick = ticker.receive();
                store.evictIdleSince(tick.minus(IDLE_TTL));
                sweeps++;
            }
        } catch (CancelledException shutdown) {
            store.evictIdleSince(Instant.now().minus(IDLE_TTL));
            LOG.info("daemon: cancelled ({}), last sweep done", shutdown.getMessage());
            return sweeps + 1;
        }
    }

    /** Sessions and when each was last used. */
    static final class SessionStore {
        final Map<String, Instant> sessions = new ConcurrentHashMap<>();
        final AtomicInteger evicted = new AtomicInteger();

        void touch(String id) {
            sessions.put(id, Instant.now());
        }

        void evictIdleSince(Instant cutoff) {
            sessions.forEach((id, lastUsed) -> {
                if (lastUsed.isBefore(cutoff) && sessions.remove(id, lastUsed)) {
                    evicted.incrementAndGet();
                    LOG.info("  evicted {}: idle for {} ms at the sweep", id,
                            Duration.between(lastUsed, cutoff.plus(IDLE_TTL)).toMillis());
                }
            });
        }
    }
}
