package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.time.ManualTime;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A scope opened while another context is current is its child (Go's derived contexts). */
@ExtendWith(LeakCheckExtension.class)
class NestedScopeTest {
    private static final Context.Key<String> USER = Context.key("user");

    @RepeatedTest(20)
    void parentCancellationReachesEveryDescendantWithItsCauseBeforeCancelReturns() throws Exception {
        AtomicReference<Context> mid = new AtomicReference<>();
        AtomicReference<Context> inner = new AtomicReference<>();
        CountDownLatch built = new CountDownLatch(1);
        RuntimeException why = new RuntimeException("stop everything");
        try (Scope outer = Scope.open(c -> c.withName("outer"))) {
            // outer -> task -> mid scope -> task -> inner scope -> task blocked
            Subtask<Void> t1 = outer.fork(() -> {
                try (Scope m = Scope.open(c -> c.withName("mid"))) {
                    mid.set(m.context());
                    m.fork(() -> {
                        try (Scope i = Scope.open(c -> c.withName("inner"))) {
                            inner.set(i.context());
                            i.fork(() -> {
                                built.countDown();
                                return blockUntilInterrupted();
                            });
                            i.join();
                        }
                        return null;
                    });
                    m.join();
                }
                return null;
            });
            await(built);
            outer.cancel(why);
            // Right after cancel returns, before any owner in the tree has reacted:
            assertTrue(mid.get().isCancelled());
            assertTrue(inner.get().isCancelled());
            assertSame(why, mid.get().cause().orElseThrow(), "a child is cancelled with its parent's cause");
            assertSame(why, inner.get().cause().orElseThrow(), "a grandchild is cancelled with the root's cause");
            assertThrows(CancelledException.class, outer::join);
            assertEquals(Subtask.State.CANCELLED, t1.state());
        }
    }

    /**
     * Deterministic form of the test above: the parent's task thread records, at the moment weft
     * interrupts it, whether the nested scope it owns is already cancelled with the parent's cause.
     */
    @Test
    void descendantsAreCancelledWithTheParentsCauseBeforeAnyTaskOfTheParentIsInterrupted() throws Exception {
        AtomicReference<Scope> nested = new AtomicReference<>();
        AtomicReference<Throwable> nestedCauseAtInterrupt = new AtomicReference<>();
        CountDownLatch built = new CountDownLatch(1);
        CountDownLatch cancelReturned = new CountDownLatch(1);
        ThreadFactory observing = r -> new Thread(r) {
            @Override
            public void interrupt() {
                Scope n = nested.get();
                if (n != null) {
                    nestedCauseAtInterrupt.compareAndSet(null, n.context().cause().orElse(NOT_CANCELLED));
                }
                super.interrupt();
            }
        };
        RuntimeException why = new RuntimeException("why");
        try (Scope outer = Scope.open(c -> c.withThreadFactory(observing))) {
            outer.fork(() -> {
                try (Scope n = Scope.open(c -> c.withThreadFactory(Thread.ofVirtual().factory()))) {
                    n.fork(TestSupport::blockUntilInterrupted);
                    nested.set(n);
                    built.countDown();
                    try {
                        n.join();
                    } finally {
                        TestSupport.awaitUninterruptibly(cancelReturned); // stay alive to be interrupted
                    }
                }
                return null;
            });
            await(built);
            outer.cancel(why);
            cancelReturned.countDown();
            assertThrows(CancelledException.class, outer::join);
        }
        assertSame(why, nestedCauseAtInterrupt.get());
    }

    private static final Throwable NOT_CANCELLED = new Throwable("not cancelled yet");

    @Test
    void childCancellationNeverTouchesTheParent() throws Exception {
        AtomicBoolean outerTaskInterrupted = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (Scope outer = Scope.open()) {
            Subtask<String> outerTask = outer.fork(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    outerTaskInterrupted.set(true);
                    throw e;
                }
                return "outer ok";
            });
            await(started);
            try (Scope child = Scope.open()) {
                child.fork(() -> {
                    throw new IllegalStateException("child failure"); // fail-fast cancels the child only
                });
                assertThrows(ScopeFailedException.class, child::join);
                child.cancel(new RuntimeException("explicit"));
                assertTrue(child.isCancelled());
            }
            assertFalse(outer.isCancelled(), "the child's failure, cancel, join and close left the parent alone");
            assertFalse(outerTaskInterrupted.get());
            release.countDown();
            outer.join();
            assertEquals("outer ok", outerTask.get());
        }
    }

    @Test
    void aScopeOpenedInACancelledParentIsCancelledAtOnceWithTheParentsCause() throws Exception {
        RuntimeException why = new RuntimeException("parent gone");
        AtomicBoolean ran = new AtomicBoolean();
        try (Scope outer = Scope.open()) {
            outer.cancel(why);
            try (Scope child = Scope.open()) {
                assertTrue(child.isCancelled());
                assertSame(why, child.context().cause().orElseThrow());
                Subtask<Boolean> never = child.fork(() -> ran.getAndSet(true));
                assertEquals(Subtask.State.CANCELLED, never.state());
                CancelledException e = assertThrows(CancelledException.class, child::join);
                assertSame(why, e.cause());
            }
            outer.join();
        }
        assertFalse(ran.get());
    }

    @Test
    void valuesAndTheTimeSourceAreInheritedAndAChildMayOverrideAValue() throws Exception {
        ManualTime time = new ManualTime();
        Context.Key<Integer> attempt = Context.key("attempt");
        try (Scope outer = Scope.open(c -> c.withTimeSource(time).with(USER, "ann").with(attempt, 1))) {
            try (Scope child = Scope.open(c -> c.with(attempt, 2))) {
                assertSame(time, Context.current().timeSource());
                assertEquals(Optional.of("ann"), Context.current().get(USER));
                assertEquals(Optional.of(2), Context.current().get(attempt));
                Subtask<String> inFork = child.fork(() -> Context.current().get(USER).orElseThrow()
                        + Context.current().get(attempt).orElseThrow() + (Context.current().timeSource() == time));
                child.join();
                assertEquals("ann2true", inFork.get());
            }
            assertEquals(Optional.of(1), Context.current().get(attempt), "the override ends with the child");
            outer.join();
        }
    }

    @Test
    void aNestedScopeInATaskIsAChildOfTheTasksScope() throws Exception {
        CountDownLatch built = new CountDownLatch(1);
        AtomicReference<Scope> nested = new AtomicReference<>();
        AtomicReference<String> userSeen = new AtomicReference<>();
        try (Scope outer = Scope.open(c -> c.with(USER, "bob"))) {
            Subtask<Void> t = outer.fork(() -> {
                try (Scope n = Scope.open()) {
                    nested.set(n);
                    userSeen.set(Context.current().get(USER).orElseThrow());
                    n.fork(() -> {
                        built.countDown();
                        return blockUntilInterrupted();
                    });
                    n.join(); // ends with the outer cancellation: an interrupt or a CancelledException
                }
                return null;
            });
            await(built);
            outer.cancel();
            assertTrue(nested.get().isCancelled());
            CancelledException e = assertThrows(CancelledException.class, outer::join);
            assertEquals(0, e.getSuppressed().length, "the nested scope's ending is a cancellation, not a failure");
            assertEquals(Subtask.State.CANCELLED, t.state());
        }
        assertEquals("bob", userSeen.get());
    }
}
