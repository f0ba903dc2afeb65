package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.awaitCondition;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How join reports failures: first failure as cause, the rest suppressed, Errors as themselves. */
@ExtendWith(LeakCheckExtension.class)
class ScopeFailureTest {

    /** An Error a task throws (an Error must never be turned into something quieter). */
    static final class TaskError extends Error {
        TaskError(String message) {
            super(message);
        }
    }

    private static Subtask<Void> forkBlocked(Scope scope, CountDownLatch started) {
        return scope.fork(() -> {
            started.countDown();
            return blockUntilInterrupted();
        });
    }

    @Test
    void firstFailureCancelsSiblingsAndIsTheCause() throws Exception {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        CountDownLatch started = new CountDownLatch(2);
        try (Scope scope = Scope.open()) {
            Subtask<Void> s1 = forkBlocked(scope, started);
            Subtask<Void> s2 = forkBlocked(scope, started);
            await(started);
            Subtask<Void> bad = scope.fork(() -> {
                throw boom;
            });
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(boom, e.getCause());
            assertEquals(0, e.getSuppressed().length,
                    "our own cancellation's interrupts are not failures: " + Arrays.toString(e.getSuppressed()));
            assertEquals(Subtask.State.CANCELLED, s1.state());
            assertEquals(Subtask.State.CANCELLED, s2.state());
            assertEquals(Subtask.State.FAILED, bad.state());
            assertSame(boom, scope.context().cause().orElseThrow(), "the context's cause is the first error");
        }
    }

    @Test
    void otherRealFailuresAreSuppressedOnTheFirstAndTheCauseIsNotSuppressedOnItself() throws Exception {
        IllegalArgumentException first = new IllegalArgumentException("first");
        IllegalStateException y = new IllegalStateException("y");
        IOException z = new IOException("z");
        CountDownLatch started = new CountDownLatch(2);
        try (Scope scope = Scope.open()) {
            scope.fork(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    throw y;
                }
            });
            scope.fork(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    throw z;
                }
            });
            await(started);
            scope.fork(() -> {
                throw first;
            });
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(first, e.getCause());
            assertEquals(Set.of(y, z), Set.of(e.getSuppressed()));
            assertEquals(0, first.getSuppressed().length, "nothing is suppressed onto the cause itself");
        }
    }

    @Test
    void anExceptionCausedByTheCancellationsInterruptIsACancellationNotAFailure() throws Exception {
        CountDownLatch started = new CountDownLatch(3);
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        try (Scope scope = Scope.open()) {
            Subtask<Void> wrapped = scope.fork(() -> {
                started.countDown();
                try {
                    return blockUntilInterrupted();
                } catch (InterruptedException e) {
                    throw new RuntimeException("wrapped", e);
                }
            });
            Subtask<Void> io = scope.fork(() -> {
                started.countDown();
                try {
                    return blockUntilInterrupted();
                } catch (InterruptedException e) {
                    throw new UncheckedIOException(new InterruptedIOException("read interrupted"));
                }
            });
            Subtask<Void> polite = scope.fork(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    Context.current().throwIfCancelled();
                }
                return null;
            });
            await(started);
            scope.fork(() -> {
                throw boom;
            });
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(boom, e.getCause());
            assertEquals(0, e.getSuppressed().length, Arrays.toString(e.getSuppressed()));
            assertEquals(Subtask.State.CANCELLED, wrapped.state());
            assertEquals(Subtask.State.CANCELLED, io.state());
            assertEquals(Subtask.State.CANCELLED, polite.state());
        }
    }

    @Test
    void anInterruptedExceptionBeforeAnyCancellationIsARealFailure() throws Exception {
        InterruptedException own = new InterruptedException("not ours");
        try (Scope scope = Scope.open()) {
            Subtask<Void> task = scope.fork(() -> {
                throw own;
            });
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(own, e.getCause());
            assertEquals(Subtask.State.FAILED, task.state());
        }
    }

    @Test
    void anErrorIsThrownAsItselfWithTheOtherFailuresSuppressed() throws Exception {
        TaskError error = new TaskError("fatal");
        IllegalStateException other = new IllegalStateException("other");
        CountDownLatch started = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            scope.fork(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    throw other;
                }
            });
            await(started);
            scope.fork(() -> {
                throw error;
            });
            TaskError thrown = assertThrows(TaskError.class, scope::join);
            assertSame(error, thrown);
            assertEquals(List.of(other), List.of(thrown.getSuppressed()));
        }
    }

    @Test
    void theSameExceptionThrownByTwoTasksIsReportedOnceAndNeverSuppressedOntoItself() throws Exception {
        TaskError shared = new TaskError("shared");
        CountDownLatch started = new CountDownLatch(1);
        try (Scope scope = Scope.open()) {
            scope.fork(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    throw shared;
                }
            });
            await(started);
            scope.fork(() -> {
                throw shared;
            });
            TaskError thrown = assertThrows(TaskError.class, scope::join);
            assertSame(shared, thrown);
            assertEquals(0, thrown.getSuppressed().length);
        }
    }

    @Test
    void aCheckedFailureIsWrappedAndRethrowCauseUnwrapsItKeepingTheSuppressed() throws Exception {
        IOException io = new IOException("disk");
        IllegalStateException other = new IllegalStateException("other");
        CountDownLatch started = new CountDownLatch(1);
        ScopeFailedException e;
        try (Scope scope = Scope.open()) {
            scope.fork(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException ie) {
                    throw other;
                }
            });
            await(started);
            scope.fork(() -> {
                throw io;
            });
            e = assertThrows(ScopeFailedException.class, scope::join);
        }
        assertSame(io, e.getCause());
        ScopeFailedException failure = e;
        failure.rethrowCause(TimeoutException.class); // not the cause's type: returns normally
        IOException rethrown = assertThrows(IOException.class, () -> failure.rethrowCause(IOException.class));
        assertSame(io, rethrown);
        assertEquals(List.of(other), List.of(rethrown.getSuppressed()), "the suppressed failures moved onto the cause");
        assertThrows(IOException.class, () -> failure.rethrowCause(IOException.class));
        assertEquals(1, io.getSuppressed().length, "a second rethrow does not add them again");
    }

    @Test
    void withoutFailFastSiblingsAreNotCancelledAndJoinStillThrowsTheFirstFailure() throws Exception {
        IllegalArgumentException first = new IllegalArgumentException("first");
        IllegalStateException later = new IllegalStateException("later");
        CountDownLatch release = new CountDownLatch(1);
        try (Scope scope = Scope.open(c -> c.withFailFast(false))) {
            Subtask<String> sibling = scope.fork(() -> {
                release.await();
                return "finished";
            });
            Subtask<Void> bad = scope.fork(() -> {
                throw first;
            });
            awaitCondition(() -> bad.state() == Subtask.State.FAILED, "the first task failed");
            assertFalse(scope.isCancelled(), "a failure must not cancel a scope without fail-fast");
            Subtask<Void> bad2 = scope.fork(() -> {
                throw later;
            });
            awaitCondition(() -> bad2.state() == Subtask.State.FAILED, "the second task failed");
            release.countDown();
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            assertSame(first, e.getCause());
            assertEquals(List.of(later), List.of(e.getSuppressed()));
            assertEquals(Subtask.State.SUCCESS, sibling.state());
            assertEquals("finished", sibling.get());
        }
    }

    @Test
    void firstErrorWinsAmongManySimultaneousFailuresAndNoneIsLost() throws Exception {
        int n = 8;
        CyclicBarrier barrier = new CyclicBarrier(n);
        List<RuntimeException> thrown = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            thrown.add(new RuntimeException("failure " + i));
        }
        try (Scope scope = Scope.open()) {
            for (RuntimeException t : thrown) {
                scope.fork(() -> {
                    barrier.await();
                    throw t;
                });
            }
            ScopeFailedException e = assertThrows(ScopeFailedException.class, scope::join);
            Throwable cause = e.getCause();
            assertSame(scope.context().cause().orElseThrow(), cause, "join's cause is the context's cause");
            Set<Throwable> reported = new HashSet<>(List.of(e.getSuppressed()));
            assertFalse(reported.contains(cause));
            reported.add(cause);
            // Every task passed the barrier before any failure, so every failure is real and reported once.
            assertEquals(n - 1, e.getSuppressed().length);
            assertEquals(new HashSet<>(thrown), reported);
        }
    }

    @Test
    void aRealFailureAfterAnExplicitCancelIsSuppressedOnTheCancellation() throws Exception {
        IllegalStateException late = new IllegalStateException("late");
        CountDownLatch started = new CountDownLatch(1);
        RuntimeException why = new RuntimeException("shutting down");
        try (Scope scope = Scope.open()) {
            Subtask<Void> task = scope.fork(() -> {
                started.countDown();
                try {
                    blockUntilInterrupted();
                } catch (InterruptedException e) {
                    throw late;
                }
            });
            await(started);
            scope.cancel(why);
            CancelledException e = assertThrows(CancelledException.class, scope::join);
            assertSame(why, e.cause());
            assertEquals(List.of(late), List.of(e.getSuppressed()));
            assertEquals(Subtask.State.FAILED, task.state());
            assertInstanceOf(CancelledException.class, e);
        }
    }
}
