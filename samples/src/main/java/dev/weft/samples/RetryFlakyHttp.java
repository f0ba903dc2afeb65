package dev.weft.samples;

import static dev.weft.samples.Check.millisSince;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.Context;
import dev.weft.Scope;
import dev.weft.Subtask;
import dev.weft.time.Backoff;
import dev.weft.time.Retry;
import dev.weft.time.RetryFailedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retry with backoff against a real flaky HTTP server on 127.0.0.1, inside a deadline.
 *
 * <p>Go idiom: {@code ctx, cancel := context.WithTimeout(ctx, 5*time.Second)}, then
 * cenkalti/backoff's {@code backoff.Retry(ctx, op, backoff.WithBackOff(b))} around an
 * {@code http.NewRequestWithContext(ctx, ...)}, with {@code backoff.RetryAfter(seconds)} for a
 * 503's {@code Retry-After} and {@code backoff.Permanent(err)} for a 404.
 *
 * <ul>
 *   <li>The server answers the first two requests of {@code /flaky} with 503: the first with
 *       {@code Retry-After: 1}, the second without. The retry waits at least the second the
 *       server asked for, then its own short backoff, and the third attempt gets the body.</li>
 *   <li>{@code /overloaded} always answers 503 with {@code Retry-After: 30}. The scope's 2 s
 *       deadline comes before that: the retry stops at once with reason {@code DEADLINE} and the
 *       503 as the last error, instead of sleeping until the deadline.</li>
 *   <li>{@code /missing} answers 404, which {@code abortOn} says is permanent: one attempt, reason
 *       {@code ABORTED}.</li>
 * </ul>
 * The fetch runs in a fork of the deadline scope, so the deadline also interrupts an HTTP call in
 * flight; each request's timeout is the time the scope has left.
 */
public final class RetryFlakyHttp implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(RetryFlakyHttp.class);

    /** A non-2xx answer, with the server's Retry-After hint if it sent one. */
    static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient Duration retryAfter;

        HttpStatusException(URI uri, int status, Duration retryAfter) {
            super("GET " + uri.getPath() + " answered HTTP " + status
                    + (retryAfter != null ? " with Retry-After " + retryAfter.toSeconds() + " s" : ""));
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    /** 5xx and connection failures are retried, 4xx never; a Retry-After header is honoured. */
    static final Retry RETRY = Retry.with(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(200))
                    .withJitter(Backoff.Jitter.EQUAL)
                    .withMaxAttempts(5))
            .retryIf(e -> e instanceof IOException)
            .abortOn(e -> e instanceof HttpStatusException s && s.status < 500)
            .retryAfter(e -> e instanceof HttpStatusException s ? s.retryAfter : null)
            .onRetry(event -> LOG.info("  attempt {} failed ({}); next attempt in {} ms", event.attempt(),
                    event.failure().getMessage(), event.delay().toMillis()));

    private HttpClient client;

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new RetryFlakyHttp())));
    }

    @Override
    public String title() {
        return "Retry with backoff against a flaky HTTP server";
    }

    @Override
    public String goIdiom() {
        return "context.WithTimeout + backoff.Retry(ctx, op, WithBackOff(b)), backoff.RetryAfter, backoff.Permanent";
    }

    @Override
    public void run() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                FlakyServer server = FlakyServer.start()) {
            client = http;
            // The first request of a new HttpClient loads its classes for a while: not part of the story.
            client.send(HttpRequest.newBuilder(server.uri("/warm-up")).build(), HttpResponse.BodyHandlers.discarding());
            LOG.info("flaky server on {}", server.uri("/"));
            flakyThenFine(server);
            retryAfterPastTheDeadline(server);
            permanentFailure(server);
        }
    }

    private void flakyThenFine(FlakyServer server) throws InterruptedException {
        LOG.info("GET /flaky: 503 (Retry-After: 1), 503, then 200; deadline 5 s");
        long start = System.nanoTime();
        String body = fetchWithin(Duration.ofSeconds(5), server.uri("/flaky"));
        LOG.info("GET /flaky -> '{}' after {} ms", body, millisSince(start));

        List<Long> arrivals = server.arrivals("/flaky");
        Check.equal("fine, at last", body, "the body of the third attempt");
        Check.equal(3, arrivals.size(), "the number of attempts the server saw");
        long hinted = (arrivals.get(1) - arrivals.get(0)) / 1_000_000;
        long backedOff = (arrivals.get(2) - arrivals.get(1)) / 1_000_000;
        LOG.info("the retry waited {} ms after the Retry-After: 1, then {} ms of backoff", hinted, backedOff);
        Check.that(hinted >= 1_000, "the second attempt at least 1 s after the first (Retry-After: 1), was " + hinted + " ms");
        Check.that(backedOff < 1_000, "the third attempt after the short backoff, not another second, was " + backedOff + " ms");
    }

    private void retryAfterPastTheDeadline(FlakyServer server) throws InterruptedException {
        LOG.info("GET /overloaded: always 503 with Retry-After: 30; deadline 2 s");
        long start = System.nanoTime();
        RetryFailedException e = expectFailure(Duration.ofSeconds(2), server.uri("/overloaded"));
        long took = millisSince(start);
        LOG.info("stopped after {} ms: {}", took, e.getMessage());
        Check.equal(RetryFailedException.Reason.DEADLINE, e.reason(), "the reason");
        Check.equal(1, e.attempts(), "the attempts");
        Check.that(e.getCause() instanceof HttpStatusException s && s.status == 503, "the 503 as the last error");
        Check.that(took < 1_500, "a stop at once, not a sleep until the 2 s deadline, took " + took + " ms");
    }

    private void permanentFailure(FlakyServer server) throws InterruptedException {
        LOG.info("GET /missing: 404, which is not retried");
        RetryFailedException e = expectFailure(Duration.ofSeconds(5), server.uri("/missing"));
        LOG.info("stopped: {}", e.getMessage());
        Check.equal(RetryFailedException.Reason.ABORTED, e.reason(), "the reason");
        Check.equal(1, server.arrivals("/missing").size(), "the requests the server saw");
    }

    private RetryFailedException expectFailure(Duration timeout, URI uri) throws InterruptedException {
        try {
            String body = fetchWithin(timeout, uri);
            throw new Check.Failed("expected the retry to stop, it returned '" + body + "'");
        } catch (dev.weft.ScopeFailedException failed) {
            if (failed.getCause() instanceof RetryFailedException e) {
                return e;
            }
            throw failed;
        }
    }

    /** The deadline scope, and the retrying fetch in a fork of it (so the deadline interrupts a request in flight). */
    String fetchWithin(Duration timeout, URI uri) throws InterruptedException {
        try (var scope = Scope.open(c -> c.withTimeout(timeout).withName("fetch " + uri.getPath()))) {
            Subtask<String> body = scope.fork(() -> RETRY.call(() -> get(uri)));
            scope.join();
            return body.get();
        }
    }

    /** One attempt: a GET whose timeout is what the scope has left. */
    private String get(URI uri) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        Context.current().remaining().filter(left -> !left.isZero()).ifPresent(request::timeout);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            Duration retryAfter = response.headers().firstValueAsLong("Retry-After").stream()
                    .mapToObj(Duration::ofSeconds).findFirst().orElse(null);
            throw new HttpStatusException(uri, response.statusCode(), retryAfter);
        }
        return response.body();
    }

    /**
     * A real HTTP server on 127.0.0.1 and an ephemeral port. {@code /flaky} answers 503 with
     * {@code Retry-After: 1}, then 503, then 200 "fine, at last"; {@code /overloaded} always 503
     * with {@code Retry-After: 30}; {@code /missing} 404; anything else 200. It records when each
     * request arrived.
     */
    static final class FlakyServer implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        private final ConcurrentHashMap<String, Queue<Long>> arrivals = new ConcurrentHashMap<>();
        private final AtomicInteger flakyCalls = new AtomicInteger();

        private FlakyServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(handlers);
            server.createContext("/", this::handle);
        }

        static FlakyServer start() throws IOException {
            FlakyServer s = new FlakyServer();
            s.server.start();
            return s;
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        }

        List<Long> arrivals(String path) {
            return List.copyOf(arrivals.getOrDefault(path, new ConcurrentLinkedQueue<>()));
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                arrivals.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
                int status = 200;
                String body = "ok";
                switch (path) {
                    case "/flaky" -> {
                        int n = flakyCalls.incrementAndGet();
                        if (n == 1) {
                            exchange.getResponseHeaders().set("Retry-After", "1");
                        }
                        if (n <= 2) {
                            status = 503;
                            body = "busy";
                        } else {
                            body = "fine, at last";
                        }
                    }
                    case "/overloaded" -> {
                        exchange.getResponseHeaders().set("Retry-After", "30");
                        status = 503;
                        body = "overloaded";
                    }
                    case "/missing" -> {
                        status = 404;
                        body = "no such thing";
                    }
                    default -> { }
                }
                byte[] bytes = body.getBytes(UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
