package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.blockUntilInterrupted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scopes close in reverse order of opening, and every fork must be joined before close. */
@ExtendWith(LeakCheckExtension.class)
class StructureTest {

    @Test
    void closingAnOuterScopeFirstIsAStructureViolationThatClosesTheInnerScopeAndEndsItsTasks() throws Exception {
        Context root = Context.current();
        CountDownLatch started = new CountDownLatch(1);
        Scope outer = Scope.open(c -> c.withName("outer"));
        Scope inner = Scope.open(c -> c.withName("inner"));
        Subtask<Void> innerTask = inner.fork(() -> {
            started.countDown();
            return blockUntilInterrupted();
        });
        await(started);

        StructureViolationException e = assertThrows(StructureViolationException.class, outer::close);
        assertTrue(e.getMessage().contains("outer"), e.getMessage());
        assertEquals(Subtask.State.CANCELLED, innerTask.state(), "the inner scope's task has ended");
        assertTrue(inner.isCancelled());
        assertTrue(outer.isCancelled());
        assertSame(root, Context.current(), "both scopes are closed and the previous context restored");
        // The inner scope was forked and never joined: its own complaint is not lost.
        assertTrue(Arrays.stream(e.getSuppressed()).anyMatch(s -> s instanceof IllegalStateException),
                Arrays.toString(e.getSuppressed()));
        inner.close(); // already closed: does nothing
        assertThrows(IllegalStateException.class, () -> inner.fork(() -> 1));
    }

    @Test
    void outOfOrderCloseClosesEveryScopeOpenedInside() throws Exception {
        Context root = Context.current();
        Scope a = Scope.open();
        Scope b = Scope.open();
        Scope c = Scope.open();
        assertThrows(StructureViolationException.class, a::close);
        assertTrue(b.isCancelled());
        assertTrue(c.isCancelled());
        assertSame(root, Context.current());
        assertThrows(IllegalStateException.class, () -> b.fork(() -> 1));
        assertThrows(IllegalStateException.class, () -> c.fork(() -> 1));
    }

    @Test
    void closingInReverseOrderIsNoViolation() throws Exception {
        Scope a = Scope.open();
        Scope b = Scope.open();
        assertSame(b.context(), Context.current());
        b.close();
        assertSame(a.context(), Context.current());
        a.close();
        assertSame(Context.ROOT, Context.current());
    }

    @Test
    void closeWithoutJoinIsAnIllegalStateAfterWaitingForTheTasks() throws Exception {
        Scope scope = Scope.open();
        Subtask<Integer> task = scope.fork(() -> 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, scope::close);
        assertTrue(e.getMessage().contains("join"), e.getMessage());
        assertNull(e.getCause(), "no task failed");
        assertTrue(task.state() == Subtask.State.SUCCESS || task.state() == Subtask.State.CANCELLED, task.toString());
        assertSame(Context.ROOT, Context.current(), "the context is restored even when close throws");
    }

    @Test
    void closeWithoutJoinHasTheFirstFailureAsCauseAndTheOthersSuppressed() throws Exception {
        IllegalArgumentException first = new IllegalArgumentException("first");
        IllegalStateException second = new IllegalStateException("second");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch bothDone = new CountDownLatch(2);
        Scope scope = Scope.open();
        Subtask<Void> secondTask = scope.fork(() -> {
            started.countDown();
            try {
                blockUntilInterrupted();
            } catch (InterruptedException e) {
                throw second; // a real failure while being cancelled: it must not be lost
            } finally {
                bothDone.countDown();
            }
            return null;
        });
        await(started);
        scope.fork(() -> {
            try {
                throw first;
            } finally {
                bothDone.countDown();
            }
        });
        await(bothDone);
        IllegalStateException e = assertThrows(IllegalStateException.class, scope::close);
        assertSame(first, e.getCause());
        assertEquals(1, e.getSuppressed().length, Arrays.toString(e.getSuppressed()));
        assertSame(second, e.getSuppressed()[0]);
        assertEquals(Subtask.State.FAILED, secondTask.state());
    }

    @Test
    void anOpenedButUnforkedScopeClosesQuietlyWithoutJoin() {
        Scope scope = Scope.open();
        scope.close();
        assertTrue(scope.isCancelled());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aForkAfterCancelCountsAsAForkThatNeedsAJoin() {
        Scope scope = Scope.open();
        scope.cancel();
        Subtask<Integer> never = scope.fork(() -> 1);
        assertEquals(Subtask.State.CANCELLED, never.state());
        assertInstanceOf(IllegalStateException.class, assertThrows(IllegalStateException.class, scope::close));
    }
}
