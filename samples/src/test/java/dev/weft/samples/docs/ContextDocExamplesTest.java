package dev.weft.samples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.DeadlineExceededException;
import dev.weft.Scope;
import dev.weft.Subtask;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The code blocks of docs/context.md, verbatim (DocSnippetsMatchTest checks that they stay
 * identical), each run with the outcome the page promises.
 */
class ContextDocExamplesTest {
    private static final Logger log = LoggerFactory.getLogger(ContextDocExamplesTest.class);

    // ---- the snippets -------------------------------------------------------------------------

    static final Context.Key<String> TENANT = Context.key("tenant");

    String report(String tenant) throws InterruptedException {
        try (var scope = Scope.open(c -> c.with(TENANT, tenant))) {
            Subtask<String> title = scope.fork(() -> "report for " + currentTenant());
            scope.join();
            return title.get();
        }
    }

    static String currentTenant() {
        return Context.current().get(TENANT).orElse("none");
    }

    HttpRequest requestWithinBudget(URI uri) {
        Context ctx = Context.current();
        ctx.throwIfCancelled(); // Go: if err := ctx.Err(); err != nil { return err }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        ctx.remaining().ifPresent(left -> request.header("Request-Timeout-Ms", String.valueOf(left.toMillis())));
        return request.build();
    }

    String withLease(Leases leases) throws InterruptedException {
        try (var scope = Scope.open(c -> c.withTimeout(Duration.ofSeconds(1)))) {
            Lease lease = leases.acquire();
            Context.current().onCancel(lease::release); // Go: context.AfterFunc(ctx, lease.Release)
            Subtask<String> result = scope.fork(() -> work(lease));
            scope.join(); // the context is now cancelled: release() runs on its own thread
            return result.get();
        }
    }

    boolean stoppedInTime() throws InterruptedException {
        try (var scope = Scope.open()) {
            Context.Registration audit = Context.current().onCancel(() -> log.info("scope done"));
            boolean prevented = audit.stop(); // true: the callback will never run
            scope.join();
            return prevented;
        }
    }

    String requestIdSeenByAFork() throws InterruptedException {
        MDC.put("requestId", "req-7");
        try (var scope = Scope.open()) {
            Subtask<String> seen = scope.fork(() -> MDC.get("requestId"));
            scope.join();
            return seen.get(); // "req-7"
        } finally {
            MDC.remove("requestId");
        }
    }

    // ---- what the snippets promise -------------------------------------------------------------

    @Test
    void aValueSetOnTheScopeIsSeenInItsForks() throws InterruptedException {
        assertEquals("report for acme", report("acme"));
        assertEquals("none", currentTenant(), "outside the scope the value is gone");
    }

    @Test
    void requestWithinBudgetSendsTheRemainingTimeOrThrowsOnceCancelled() throws InterruptedException {
        URI uri = URI.create("http://127.0.0.1/x");
        assertTrue(requestWithinBudget(uri).headers().firstValue("Request-Timeout-Ms").isEmpty(),
                "no deadline, no header");
        try (var scope = Scope.open(c -> c.withTimeout(Duration.ofMinutes(1)))) {
            long ms = Long.parseLong(requestWithinBudget(uri).headers().firstValue("Request-Timeout-Ms").orElseThrow());
            assertTrue(ms > 0 && ms <= 60_000, "remaining budget " + ms);
            scope.cancel();
            assertThrows(CancelledException.class, () -> requestWithinBudget(uri));
            scope.join();
        }
        try (var scope = Scope.open(c -> c.withDeadline(java.time.Instant.now().minusSeconds(1)))) {
            assertThrows(DeadlineExceededException.class, () -> requestWithinBudget(uri));
            scope.join();
        }
    }

    @Test
    void withLeaseReleasesTheLeaseWhenTheScopeEnds() throws InterruptedException {
        var leases = new Leases();
        assertEquals("worked with lease 1", withLease(leases));
        assertTrue(leases.released.await(10, TimeUnit.SECONDS), "the onCancel callback released the lease");
    }

    @Test
    void aStoppedCallbackNeverRuns() throws InterruptedException {
        assertTrue(stoppedInTime());
    }

    @Test
    void theMdcFlowsIntoForks() throws InterruptedException {
        assertEquals("req-7", requestIdSeenByAFork());
        assertNull(MDC.get("requestId"));
    }

    @Test
    void onCancelOnTheRootContextNeverRuns() {
        var ran = new AtomicBoolean();
        Context.Registration r = Context.current().onCancel(() -> ran.set(true));
        assertTrue(r.stop());
        assertFalse(ran.get());
    }

    // ---- the pretend services the snippets call ------------------------------------------------

    static final class Leases {
        final CountDownLatch released = new CountDownLatch(1);
        private int next;

        Lease acquire() {
            return new Lease(++next, released);
        }
    }

    record Lease(int id, CountDownLatch released) {
        void release() {
            released.countDown();
        }
    }

    String work(Lease lease) {
        return "worked with lease " + lease.id();
    }
}
