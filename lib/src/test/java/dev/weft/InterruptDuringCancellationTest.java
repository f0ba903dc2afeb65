package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.awaitBlocked;
import static dev.weft.TestSupport.awaitUninterruptibly;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static dev.weft.TestSupport.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An interrupt that reaches a joining owner after its scope was cancelled does not turn the
 * cancellation into a bare {@link InterruptedException}: join waits for the (already
 * interrupted) tasks and reports the cancellation, leaving the interrupt flag set.
 */
@ExtendWith(LeakCheckExtension.class)
class InterruptDuringCancellationTest {

    @RepeatedTest(30)
    void aNestedJoinInATaskReportsTheParentsCancellationNotTheInterrupt() throws Exception {
        IllegalStateException cause = new IllegalStateException("shutting down");
        CountDownLatch innerForked = new CountDownLatch(1);
        AtomicReference<Throwable> innerJoinThrew = new AtomicReference<>();
        try (Scope outer = Scope.open()) {
            outer.fork(() -> {
                try (Scope inner = Scope.open()) {
                    inner.fork(TestSupport::blockUntilInterrupted);
                    innerForked.countDown();
                    try {
                        inner.join();
                    } catch (Throwable t) {
                        innerJoinThrew.set(t);
                        throw t;
                    }
                }
                return null;
            });
            await(innerForked);
            outer.cancel(cause);
            CancelledException e = assertThrows(CancelledException.class, outer::join);
            assertSame(cause, e.cause());
        }
        CancelledException nested = assertInstanceOf(CancelledException.class, innerJoinThrew.get());
        assertSame(cause, nested.cause(), "the nested join reports the parent's cause");
    }

    @Test
    void anOwnerInterruptedAfterCancellationWaitsForTheTasksAndReportsTheCancellation() throws Exception {
        AtomicReference<Scope> scopeRef = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stragglerEnded = new AtomicBoolean();
        TestSupport.Helper<Boolean> owner = onNewThread("owner", () -> {
            try (Scope scope = Scope.open()) {
                scopeRef.set(scope);
                scope.fork(() -> {
                    started.countDown();
                    try {
                        return blockUntilInterrupted();
                    } finally {
                        awaitUninterruptibly(release);
                        stragglerEnded.set(true);
                    }
                });
                CancelledException e = assertThrows(CancelledException.class, scope::join);
                assertTrue(stragglerEnded.get(), "join returned only after the straggler ended");
                assertEquals("stop", e.cause().getMessage());
                return Thread.currentThread().isInterrupted();
            } finally {
                Thread.interrupted();
            }
        });
        await(started);
        awaitBlocked(owner.thread());
        scopeRef.get().cancel(new RuntimeException("stop"));
        owner.thread().interrupt();
        awaitBlocked(owner.thread());
        release.countDown();
        assertTrue(owner.get(), "the owner's interrupt flag is set again after join");
    }

    @Test
    void anInterruptedCallerOfWithTimeoutGetsAPlainInterruptedExceptionAfterTheBodyEnded() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean bodyEnded = new AtomicBoolean();
        TestSupport.Helper<Object> caller = onNewThread("caller", () -> Scope.withTimeout(Duration.ofHours(1), () -> {
            started.countDown();
            try {
                return blockUntilInterrupted();
            } finally {
                bodyEnded.set(true);
            }
        }));
        await(started);
        awaitBlocked(caller.thread());
        caller.thread().interrupt();
        InterruptedException e = assertInstanceOf(InterruptedException.class, caller.failure());
        assertEquals(0, e.getSuppressed().length, "no noise about the one-liner's own scope");
        assertTrue(bodyEnded.get(), "the body was cancelled and ended before the caller got the exception");
    }
}
