package dev.weft.samples;

import static dev.weft.samples.Check.millisSince;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.Context;
import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import dev.weft.Subtask;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * errgroup-style parallel fetch against a real HTTP server on 127.0.0.1: every URL in its own
 * task, the first error cancels the others, and the caller gets that error back as itself.
 *
 * <p>Go idiom: {@code g, ctx := errgroup.WithContext(ctx)}, {@code g.Go(func() error { ... })}
 * per URL with {@code http.NewRequestWithContext(ctx, ...)}, and {@code if err := g.Wait(); err !=
 * nil { return nil, err }}; the request id travels in {@code ctx.Value(requestIDKey)}.
 *
 * <ul>
 *   <li>{@link #fetchAll} is the errgroup. When one endpoint answers HTTP 503, the scope is
 *       cancelled, the requests still in flight are interrupted (their {@code HttpClient.send}
 *       throws {@link InterruptedException}), {@code join()} throws
 *       {@link ScopeFailedException} with the 503 as its cause, and
 *       {@link ScopeFailedException#rethrowCause rethrowCause(IOException.class)} hands the
 *       original {@link IOException} to the caller.</li>
 *   <li>When every endpoint answers, the bodies come back in the order of the URLs, whatever
 *       order the responses arrived in.</li>
 *   <li>A request id set once by the "handler" ({@link Context} value and SLF4J MDC) is seen
 *       by every fork, which sends it as an {@code X-Request-Id} header; the server checks it. (The
 *       samples log through Logback, whose pattern prints the MDC's {@code requestId}.)</li>
 * </ul>
 */
public final class ErrgroupFetch implements Scenario {
    private static final Logger LOG = LoggerFactory.getLogger(ErrgroupFetch.class);

    /** The request id, as Go code would keep it under a private context key. */
    static final Context.Key<String> REQUEST_ID = Context.key("requestId");

    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final Queue<String> mdcSeen = new ConcurrentLinkedQueue<>();
    private HttpClient client;

    public static void main(String[] args) {
        Tour.exit(Tour.run(List.of(new ErrgroupFetch())));
    }

    @Override
    public String title() {
        return "errgroup-style parallel fetch";
    }

    @Override
    public String goIdiom() {
        return "errgroup.WithContext, g.Go per URL, g.Wait() returns the first error; ctx.Value(requestIDKey)";
    }

    @Override
    public void run() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                LocalServer server = LocalServer.start()) {
            client = http;
            // The first request of a new HttpClient loads and links its classes on the calling
            // thread for about a second, and is not interruptible meanwhile: get it out of the way.
            client.send(HttpRequest.newBuilder(server.uri("/items/0")).build(), HttpResponse.BodyHandlers.discarding());
            LOG.info("local server on {}", server.uri("/"));

            oneEndpointFails(server);
            everyEndpointAnswers(server);
        }
    }

    private void oneEndpointFails(LocalServer server) throws InterruptedException {
        List<URI> uris = List.of(
                server.uri("/items/1?delay=10"),
                server.uri("/items/2?delay=20"),
                server.uri("/items/3?delay=50&status=503"), // the first error
                server.uri("/items/4?delay=5000"),
                server.uri("/items/5?delay=5000"),
                server.uri("/items/6?delay=1500&status=500")); // would be a second error, but is cancelled first
        LOG.info("run 1: {} URLs, /items/3 answers 503 after 50 ms", uris.size());
        server.requestIds.clear();
        mdcSeen.clear();
        long start = System.nanoTime();
        IOException error = null;
        try {
            handleRequest("req-1", uris);
        } catch (IOException e) {
            error = e;
        }
        long took = millisSince(start);
        LOG.info("run 1 ended after {} ms with {}", took, String.valueOf(error));
        LOG.info("cancelled requests: {}", cancelled.stream().sorted().toList());

        Check.that(error != null, "handleRequest to throw the IOException of /items/3");
        Check.that(error.getMessage().contains("/items/3") && error.getMessage().contains("503"),
                "the first error (the 503 of /items/3) to win, got " + error.getMessage());
        Check.that(cancelled.containsAll(Set.of("/items/4", "/items/5", "/items/6")),
                "the requests in flight to be interrupted, were " + cancelled);
        Check.that(took < 4_000, "the failure to end the fetch long before the 5 s endpoints, took " + took + " ms");
        Check.that(!server.requestIds.isEmpty() && server.requestIds.stream().allMatch("req-1"::equals),
                "every request to carry X-Request-Id req-1, the server saw " + server.requestIds);
        Check.that(mdcSeen.size() == uris.size() && mdcSeen.stream().allMatch("req-1"::equals),
                "every fork to see MDC requestId=req-1, they saw " + mdcSeen);
    }

    private void everyEndpointAnswers(LocalServer server) throws IOException, InterruptedException {
        List<URI> uris = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            uris.add(server.uri("/items/" + i + "?delay=" + (300 - 40 * i))); // later items answer first
        }
        LOG.info("run 2: {} URLs, all answer, the last one first", uris.size());
        server.requestIds.clear();
        server.peakInFlight.set(0);
        mdcSeen.clear();
        long start = System.nanoTime();
        List<String> bodies = handleRequest("req-2", uris);
        LOG.info("run 2 returned after {} ms: {}", millisSince(start), bodies);

        Check.equal(List.of("item 1", "item 2", "item 3", "item 4", "item 5", "item 6"), bodies,
                "the bodies, in the order of the URLs");
        Check.that(server.peakInFlight.get() >= 2,
                "the requests to run in parallel, the server saw at most " + server.peakInFlight + " at once");
        Check.that(server.requestIds.size() == 6 && server.requestIds.stream().allMatch("req-2"::equals),
                "every request to carry X-Request-Id req-2, the server saw " + server.requestIds);
        Check.that(mdcSeen.size() == 6 && mdcSeen.stream().allMatch("req-2"::equals),
                "every fork to see MDC requestId=req-2, they saw " + mdcSeen);
    }

    /**
     * What an HTTP framework would do per incoming request: put the request id in the context
     * (Go: {@code context.WithValue}) and in the MDC for the log lines, then call the handler
     * code, which knows nothing about request ids.
     */
    @SuppressWarnings("try") // the request scope is opened for its context only
    private List<String> handleRequest(String requestId, List<URI> uris) throws IOException, InterruptedException {
        MDC.put("requestId", requestId);
        try (var request = Scope.open(c -> c.withName("request " + requestId).with(REQUEST_ID, requestId))) {
            return fetchAll(uris); // its scope is a child of `request`: it inherits the value
        } finally {
            MDC.remove("requestId");
        }
    }

    /** The errgroup: every URL in parallel, bodies in URL order, the first error as itself. */
    List<String> fetchAll(List<URI> uris) throws IOException, InterruptedException {
        try (var scope = Scope.open(c -> c.withName("fetch-all"))) {
            List<Subtask<String>> bodies = new ArrayList<>();
            for (URI uri : uris) {
                bodies.add(scope.fork(() -> fetch(uri)));
            }
            scope.join();
            return bodies.stream().map(Subtask::get).toList();
        } catch (ScopeFailedException e) {
            e.rethrowCause(IOException.class); // the first failure, as the IOException it was
            throw e;
        }
    }

    /** One GET, run in a fork: the request id comes from the current context; the MDC came along too. */
    private String fetch(URI uri) throws IOException, InterruptedException {
        String requestId = Context.current().get(REQUEST_ID).orElse("none");
        String path = uri.getPath();
        mdcSeen.add(String.valueOf(MDC.get("requestId")));
        LOG.info("  GET {}  (request id from Context: {})", path + "?" + uri.getQuery(), requestId);
        HttpRequest request = HttpRequest.newBuilder(uri).header("X-Request-Id", requestId).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            cancelled.add(path);
            LOG.info("  GET {} interrupted: the scope was cancelled by: {}", path,
                    Context.current().cause().map(Throwable::getMessage).orElse("?"));
            throw e;
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered HTTP " + response.statusCode());
        }
        LOG.info("  GET {} -> {}", path, response.body());
        return response.body();
    }

    /**
     * A real HTTP server on 127.0.0.1 and an ephemeral port, one virtual thread per exchange.
     * {@code GET /items/{id}?delay=ms&status=code} answers {@code "item {id}"} after
     * {@code delay} ms with the given status (200 by default).
     */
    static final class LocalServer implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peakInFlight = new AtomicInteger();
        final Queue<String> requestIds = new ConcurrentLinkedQueue<>();

        private LocalServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(handlers);
            server.createContext("/items/", this::handle);
        }

        static LocalServer start() throws IOException {
            LocalServer s = new LocalServer();
            s.server.start();
            return s;
        }

        URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String id = exchange.getRequestURI().getPath().substring("/items/".length());
                Map<String, String> query = parse(exchange.getRequestURI().getQuery());
                String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
                if (requestId != null) {
                    requestIds.add(requestId);
                }
                peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(Duration.ofMillis(Long.parseLong(query.getOrDefault("delay", "0")))); // simulated work
                } catch (InterruptedException e) {
                    return; // the server is stopping
                } finally {
                    inFlight.decrementAndGet();
                }
                byte[] body = ("item " + id).getBytes(UTF_8);
                try {
                    exchange.sendResponseHeaders(Integer.parseInt(query.getOrDefault("status", "200")), body.length);
                    exchange.getResponseBody().write(body);
                } catch (IOException clientWentAway) {
                    // the client's request was cancelled and its connection closed: nobody to answer
                }
            }
        }

        private static Map<String, String> parse(String query) {
            Map<String, String> m = new HashMap<>();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    m.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            return m;
        }

        @Override
        public void close() {
            server.stop(0);
            handlers.shutdownNow(); // interrupts the handlers still simulating a slow answer
        }
    }
}
