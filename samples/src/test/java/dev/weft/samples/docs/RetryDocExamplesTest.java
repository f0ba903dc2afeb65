package dev.weft.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.Scope;
import dev.weft.time.Backoff;
import dev.weft.time.ManualTime;
import dev.weft.time.RateLimiter;
import dev.weft.time.Retry;
import dev.weft.time.RetryFailedException;
import dev.weft.time.Sleep;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of docs/retry.md, verbatim (DocSnippetsMatchTest checks that they stay
 * identical), each run with the outcome the page promises, on ManualTime.
 */
@SuppressWarnings("try") // scopes opened only to give the code inside a clock or a deadline
class RetryDocExamplesTest {

    // ---- the snippets -------------------------------------------------------------------------

    void pollUntilReady(Job job) throws InterruptedException {
        while (!job.isReady()) {
            Sleep.sleep(Duration.ofMillis(50)); // Go: select { case <-time.After(50 * time.Millisecond): case <-ctx.Done(): }
        }
    }

    String fetchWithBackoff(Source source) throws IOException, InterruptedException {
        Backoff.Delays delays = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2))
                .withJitter(Backoff.Jitter.FULL)
                .withMaxAttempts(4)
                .start();
        while (true) {
            try {
                return source.fetch();
            } catch (IOException e) {
                Optional<Duration> wait = delays.next();
                if (wait.isEmpty()) {
                    throw e; // the attempts are used up
                }
                Sleep.sleep(wait.get());
            }
        }
    }

    static final Retry FETCH = Retry.with(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2))
                    .withJitter(Backoff.Jitter.FULL)
                    .withMaxAttempts(5))
            .retryIf(e -> e instanceof IOException)
            .abortOn(e -> e instanceof StatusException s && s.status() < 500)
            .retryAfter(e -> e instanceof StatusException s ? s.retryAfter() : null);

    String fetch(Source source) throws InterruptedException {
        try (var scope = Scope.open(c -> c.withTimeout(Duration.ofSeconds(5)))) {
            return FETCH.call(source::fetch);
        }
    }

    Optional<String> fetchIfExists(Source source) throws InterruptedException {
        try {
            return Optional.of(FETCH.call(source::fetch));
        } catch (RetryFailedException e) {
            if (e.reason() == RetryFailedException.Reason.ABORTED) {
                return Optional.empty(); // a 4xx answer: retrying would not help
            }
            throw e; // EXHAUSTED, MAX_ELAPSED, DEADLINE or CANCELLED; e.lastError() is the last error
        }
    }

    final RateLimiter limiter = RateLimiter.of(100, 10); // Go: rate.NewLimiter(100, 10)

    void send(Batch batch) throws InterruptedException {
        limiter.acquire(batch.size()); // Go: limiter.WaitN(ctx, batch.size())
        transport.write(batch);
    }

    boolean offer(Request request) {
        if (!limiter.tryAcquire()) { // Go: if !limiter.Allow() { return http.StatusTooManyRequests }
            return false;
        }
        handle(request);
        return true;
    }

    boolean sendSoonOrDrop(Batch batch) throws InterruptedException {
        RateLimiter.Reservation r = limiter.reserve(batch.size()); // Go: r := limiter.ReserveN(time.Now(), n)
        if (r.delay().compareTo(Duration.ofSeconds(1)) > 0) {
            r.cancel(); // too long to wait: give the permits back and drop the batch
            return false;
        }
        Sleep.sleep(r.delay());
        transport.write(batch);
        return true;
    }

    @Test
    void aRetryWaitsOnTheManualClock() throws Exception {
        ManualTime time = new ManualTime();
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.with(Backoff.constant(Duration.ofSeconds(30)));
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                return retry.call(() -> {
                    if (calls.incrementAndGet() < 2) {
                        throw new IOException("flaky");
                    }
                    return "ok";
                });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (time.pending() == 0) {
            Thread.onSpinWait(); // until the retry waits on the clock
        }
        time.advance(Duration.ofSeconds(30)); // 30 s of backoff, in a microsecond
        assertEquals("ok", result.get(10, TimeUnit.SECONDS));
        assertEquals(2, calls.get());
    }

    @Test
    void aLimiterRefillsOnlyWhenTheManualClockMoves() {
        ManualTime time = new ManualTime();
        RateLimiter limiter = RateLimiter.of(10, 2, time); // or RateLimiter.of(10, 2) inside a ManualTime scope
        assertTrue(limiter.tryAcquire(2));
        assertFalse(limiter.tryAcquire());
        time.advance(Duration.ofMillis(100)); // one permit's worth at 10 per second
        assertTrue(limiter.tryAcquire());
    }

    // ---- the stand-ins the snippets call ------------------------------------------------------

    interface Job {
        boolean isReady();
    }

    interface Source {
        String fetch() throws IOException;
    }

    /** An HTTP status answer, as a client library would throw it. */
    static final class StatusException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final transient Duration retryAfter;

        StatusException(int status, Duration retryAfter) {
            super("HTTP " + status);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        int status() {
            return status;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    record Batch(int size) {}

    record Request(String path) {}

    /** Where the batches go. */
    final Transport transport = new Transport();

    static final class Transport {
        final List<Batch> written = new ArrayList<>();

        void write(Batch batch) {
            written.add(batch);
        }
    }

    final List<Request> handled = new ArrayList<>();

    void handle(Request request) {
        handled.add(request);
    }

    /** A source that fails with the given exceptions in order, then returns "body". */
    static Source failing(IOException... failures) {
        AtomicInteger n = new AtomicInteger();
        return () -> {
            int i = n.getAndIncrement();
            if (i < failures.length) {
                throw failures[i];
            }
            return "body";
        };
    }

    /**
     * Runs {@code body} on another thread and advances {@code time} by {@code step} whenever it
     * waits, until it ends. It waits when {@code waiting} timers are pending: its wake-up, plus the
     * deadline of its scope if it has one.
     */
    static <T> T drive(ManualTime time, int waiting, Duration step, Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!result.isDone()) {
            if (time.pending() >= waiting && worker.getState() == Thread.State.WAITING) {
                time.advance(step);
            }
            Thread.onSpinWait();
            assertTrue(System.nanoTime() - guard < 0, "the driven code did not finish");
        }
        worker.join();
        try {
            return result.get();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            // (a CancelledException is a CancellationException, which the future reports as its own)
            throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
        }
    }

    // ---- what the page promises ---------------------------------------------------------------

    @Test
    void pollUntilReadySleepsOnTheContextsClockAndEndsAtTheDeadline() throws Exception {
        ManualTime time = new ManualTime();
        AtomicInteger polls = new AtomicInteger();
        drive(time, 1, Duration.ofMillis(50), () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                pollUntilReady(() -> polls.incrementAndGet() == 4);
            }
            return null;
        });
        assertEquals(4, polls.get());
        assertEquals(150_000_000L, time.nanoTime(), "three sleeps of 50 ms");

        Exception e = assertThrows(Exception.class, () -> drive(time, 2, Duration.ofMillis(50), () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofMillis(120)))) {
                pollUntilReady(() -> false);
            }
            return null;
        }));
        assertInstanceOf(DeadlineExceededException.class, e);
    }

    @Test
    void fetchWithBackoffRetriesThreeTimesThenRethrowsTheLastError() throws Exception {
        ManualTime time = new ManualTime();
        String body = drive(time, 1, Duration.ofSeconds(2), () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                return fetchWithBackoff(failing(new IOException("1"), new IOException("2")));
            }
        });
        assertEquals("body", body);
        IOException last = assertThrows(IOException.class, () -> drive(time, 1, Duration.ofSeconds(2), () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                return fetchWithBackoff(failing(new IOException("1"), new IOException("2"), new IOException("3"),
                        new IOException("4"), new IOException("5")));
            }
        }));
        assertEquals("4", last.getMessage(), "four attempts, then the fourth error");
    }

    @Test
    void fetchRetriesServerErrorsHonoursRetryAfterAndAbortsOnClientErrors() throws Exception {
        ManualTime time = new ManualTime();
        List<Long> attempts = new ArrayList<>();
        AtomicInteger n = new AtomicInteger();
        Source flaky = () -> {
            attempts.add(time.nanoTime());
            if (n.incrementAndGet() == 1) {
                throw new StatusException(503, Duration.ofSeconds(3));
            }
            return "body";
        };
        String body = drive(time, 2, Duration.ofSeconds(1), () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                return fetch(flaky);
            }
        });
        assertEquals("body", body);
        assertEquals(List.of(0L, 3_000_000_000L), attempts, "the second attempt waited the 3 s the server asked for");

        Optional<String> missing = fetchIfExists(() -> {
            throw new StatusException(404, null);
        });
        assertEquals(Optional.empty(), missing);
    }

    @Test
    void sendWaitsForPermitsAndOfferShedsLoad() throws Exception {
        ManualTime time = new ManualTime();
        RetryDocExamplesTest onManualTime = drive(time, 1, Duration.ofMillis(10), () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                RetryDocExamplesTest page = new RetryDocExamplesTest(); // its limiter is on the manual clock
                for (int i = 0; i < 3; i++) {
                    page.send(new Batch(10));
                }
                return page;
            }
        });
        assertEquals(3, onManualTime.transport.written.size());
        assertEquals(200_000_000L, time.nanoTime(), "a full bucket, then 10 permits per 100 ms");

        RetryDocExamplesTest page = new RetryDocExamplesTest();
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            if (page.offer(new Request("/" + i))) {
                accepted++;
            }
        }
        assertTrue(accepted >= 10 && accepted < 20, "the burst of 10 passes, the rest is shed: " + accepted);
        assertEquals(accepted, page.handled.size());
    }

    @Test
    void sendSoonOrDropWaitsAShortDelayAndDropsALongOneGivingItsPermitsBack() throws Exception {
        ManualTime time = new ManualTime();
        RetryDocExamplesTest page = drive(time, 1, Duration.ofMillis(10), () -> {
            try (var scope = Scope.open(c -> c.withTimeSource(time))) {
                RetryDocExamplesTest p = new RetryDocExamplesTest(); // its limiter is on the manual clock
                assertTrue(p.sendSoonOrDrop(new Batch(10)), "the full bucket: sent at once");
                assertTrue(p.sendSoonOrDrop(new Batch(10)), "100 ms of waiting: sent");
                return p;
            }
        });
        assertEquals(100_000_000L, time.nanoTime());
        for (int i = 0; i < 10; i++) {
            page.limiter.reserve(10); // others take 1 s worth of permits ahead
        }
        assertFalse(page.sendSoonOrDrop(new Batch(10)), "it would wait 1.1 s: dropped");
        assertEquals(-100.0, page.limiter.tokens(), 1e-9, "the dropped batch's 10 permits were given back");
        assertEquals(2, page.transport.written.size());
    }
}
