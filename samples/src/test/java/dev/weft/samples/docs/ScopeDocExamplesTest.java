package dev.weft.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.Scope;
import dev.weft.ScopeFailedException;
import dev.weft.Subtask;
import dev.weft.time.ManualTime;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of docs/scope.md, verbatim (DocSnippetsMatchTest checks that they stay
 * identical), each run with the outcome the page promises.
 */
class ScopeDocExamplesTest {

    // ---- the snippets -------------------------------------------------------------------------

    String greeting(int id) throws InterruptedException {
        try (var scope = Scope.open()) {
            Subtask<String> user = scope.fork(() -> findUser(id));
            Subtask<List<String>> orders = scope.fork(() -> findOrders(id));
            scope.join();
            return user.get() + " has " + orders.get().size() + " orders";
        }
    }

    List<String> fetchAll(List<URI> uris) throws IOException, InterruptedException {
        try (var scope = Scope.open()) {
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

    List<String> askAll(List<Replica> replicas, String key) throws InterruptedException {
        try (var scope = Scope.open(c -> c.withTimeout(Duration.ofMillis(300)))) {
            List<Subtask<String>> answers = new ArrayList<>();
            for (Replica replica : replicas) {
                answers.add(scope.fork(() -> replica.query(key)));
            }
            try {
                scope.join();
            } catch (DeadlineExceededException e) {
                // the slow replicas have been interrupted, and have ended
            }
            return answers.stream()
                    .filter(a -> a.state() == Subtask.State.SUCCESS)
                    .map(Subtask::get)
                    .toList();
        }
    }

    String homePage() throws InterruptedException {
        Optional<String> cached = Scope.withTimeoutOrEmpty(Duration.ofMillis(50), () -> cacheLookup("home"));
        if (cached.isPresent()) {
            return cached.get();
        }
        return Scope.withTimeout(Duration.ofSeconds(2), () -> render("home"));
    }

    Set<String> crawl(String start) throws InterruptedException {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (var scope = Scope.open()) {
            visit(scope, start, seen);
            scope.join();
        }
        return seen;
    }

    void visit(Scope scope, String page, Set<String> seen) {
        if (seen.add(page)) {
            for (String link : linksOf(page)) {
                scope.fork(() -> visit(scope, link, seen)); // a task may fork into its own scope
            }
        }
    }

    List<String> sendNewsletter(List<String> users) throws InterruptedException {
        try (var scope = Scope.open(c -> c.withFailFast(false))) {
            List<Subtask<Void>> sends = new ArrayList<>();
            for (String user : users) {
                sends.add(scope.fork(() -> sendMail(user)));
            }
            try {
                scope.join();
            } catch (ScopeFailedException e) {
                // every mail was attempted: the first failure is the cause, the others are suppressed
            }
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                if (sends.get(i).state() == Subtask.State.FAILED) {
                    failed.add(users.get(i));
                }
            }
            return failed;
        }
    }

    long sumUpTo(long n) {
        long sum = 0;
        for (long i = 1; i <= n; i++) {
            if ((i & 0xFFFF) == 0) {
                Context.current().throwIfCancelled(); // ends the task once its scope is cancelled
            }
            sum += i;
        }
        return sum;
    }

    @Test
    void theDeadlineInterruptsTheSlowTask() throws InterruptedException {
        var time = new ManualTime();
        try (var scope = Scope.open(c -> c.withTimeSource(time).withTimeout(Duration.ofSeconds(2)))) {
            Subtask<String> slow = scope.fork(() -> {
                Thread.sleep(Duration.ofDays(1)); // blocks until the deadline interrupts it
                return "never";
            });
            time.advance(Duration.ofMillis(1_999));
            assertFalse(scope.isCancelled());
            time.advance(Duration.ofMillis(1)); // the deadline fires here, on this thread
            assertThrows(DeadlineExceededException.class, scope::join);
            assertEquals(Subtask.State.CANCELLED, slow.state());
        }
    }

    // ---- what the snippets promise -------------------------------------------------------------

    @Test
    void greetingJoinsBothLookups() throws InterruptedException {
        assertEquals("user 42 has 3 orders", greeting(42));
    }

    @Test
    void fetchAllReturnsBodiesInOrderOrTheFirstIOExceptionItself() throws Exception {
        assertEquals(List.of("body of /a", "body of /b"), fetchAll(List.of(URI.create("/a"), URI.create("/b"))));
        IOException e = assertThrows(IOException.class,
                () -> fetchAll(List.of(URI.create("/a"), URI.create("/broken"), URI.create("/slow"))));
        assertEquals("GET /broken failed", e.getMessage());
    }

    @Test
    void askAllKeepsTheAnswersThatArrivedBeforeTheDeadline() throws InterruptedException {
        var fast = new Replica("fast", Duration.ofMillis(10));
        var slow = new Replica("slow", Duration.ofMinutes(1));
        long start = System.nanoTime();
        assertEquals(List.of("fast:k"), askAll(List.of(fast, slow), "k"));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the slow replica was not waited for");
    }

    @Test
    void homePageFallsBackToRenderingWhenTheCacheIsTooSlow() throws InterruptedException {
        assertEquals("<html>home</html>", homePage());
    }

    @Test
    void crawlVisitsEveryPageThroughTasksThatForkTasks() throws InterruptedException {
        assertEquals(Set.of("/", "/a", "/b", "/a/1", "/b/1"), crawl("/"));
    }

    @Test
    void sendNewsletterAttemptsEveryMailAndReportsTheFailedOnes() throws InterruptedException {
        assertEquals(List.of("bob", "dan"), sendNewsletter(List.of("ann", "bob", "cid", "dan")));
        assertEquals(Set.of("ann", "cid"), mailed);
    }

    @Test
    void aCpuBoundTaskEndsAsCancelledThroughThrowIfCancelled() throws InterruptedException {
        try (var scope = Scope.open(c -> c.withTimeout(Duration.ofMillis(50)))) {
            Subtask<Long> sum = scope.fork(() -> sumUpTo(Long.MAX_VALUE));
            assertThrows(DeadlineExceededException.class, scope::join);
            assertEquals(Subtask.State.CANCELLED, sum.state());
        }
    }

    // ---- the pretend services the snippets call ------------------------------------------------

    String findUser(int id) {
        return "user " + id;
    }

    List<String> findOrders(int id) {
        return List.of("o1", "o2", "o3");
    }

    String fetch(URI uri) throws IOException, InterruptedException {
        switch (uri.getPath()) {
            case "/broken" -> throw new IOException("GET /broken failed");
            case "/slow" -> Thread.sleep(Duration.ofMinutes(1));
            default -> { }
        }
        return "body of " + uri.getPath();
    }

    record Replica(String name, Duration latency) {
        String query(String key) throws InterruptedException {
            Thread.sleep(latency);
            return name + ":" + key;
        }
    }

    String cacheLookup(String key) throws InterruptedException {
        Thread.sleep(Duration.ofMinutes(1)); // a cache that does not answer
        return "cached " + key;
    }

    String render(String page) {
        return "<html>" + page + "</html>";
    }

    private static final Map<String, List<String>> LINKS = Map.of(
            "/", List.of("/a", "/b"), "/a", List.of("/a/1", "/"), "/b", List.of("/b/1", "/a"));

    List<String> linksOf(String page) {
        return LINKS.getOrDefault(page, List.of());
    }

    private final Set<String> mailed = ConcurrentHashMap.newKeySet();

    void sendMail(String user) throws IOException {
        if (user.startsWith("b") || user.startsWith("d")) {
            throw new IOException("mailbox of " + user + " is full");
        }
        mailed.add(user);
    }
}
