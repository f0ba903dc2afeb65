package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hundreds of rounds of "sleepers, a fork that cancels the scope, more sleepers", on virtual and
 * on platform threads: join always wakes with the right outcome, close always finishes, and no
 * sleeper is ever left running. The timeout is only a hang guard.
 */
@ExtendWith(LeakCheckExtension.class)
class StressTest {
    private static final int ROUNDS = 500;
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);
    private static final RuntimeException BOOM = new RuntimeException("boom (the cancelling fork)");

    enum Ending { JOIN_THEN_CLOSE, CLOSE_WITHOUT_JOIN }

    @Test
    void cancellingForkAmongSleepersOnVirtualThreads() {
        long seed = System.nanoTime();
        assertTimeoutPreemptively(HANG_GUARD, () -> rounds(Thread.ofVirtual().factory(), seed), "seed " + seed);
    }

    @Test
    void cancellingForkAmongSleepersOnPlatformThreads() {
        long seed = System.nanoTime();
        assertTimeoutPreemptively(HANG_GUARD, () -> rounds(Thread.ofPlatform().factory(), seed), "seed " + seed);
    }

    private static void rounds(ThreadFactory factory, long seed) throws InterruptedException {
        Random random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            int before = random.nextInt(16);
            int after = random.nextInt(16);
            boolean throwIt = random.nextBoolean();
            Ending ending = random.nextInt(4) == 0 ? Ending.CLOSE_WITHOUT_JOIN : Ending.JOIN_THEN_CLOSE;
            // Forks from a task race the cancellation directly; only with join (a task forking while
            // the owner closes without join may see the scope closed, which is an error of its own).
            boolean afterFromATask = ending == Ending.JOIN_THEN_CLOSE && random.nextBoolean();
            String where = "seed " + seed + ", round " + round + ": " + before + " before, " + after + " after"
                    + (afterFromATask ? " (forked by a task), " : ", ") + (throwIt ? "throws" : "cancels") + ", " + ending;
            try {
                round(factory, before, after, afterFromATask, throwIt, ending);
            } catch (AssertionError | RuntimeException e) {
                fail(where, e);
            }
        }
    }

    private static void round(ThreadFactory factory, int before, int after, boolean afterFromATask, boolean throwIt,
            Ending ending) throws InterruptedException {
        List<Subtask<Void>> sleepers = new CopyOnWriteArrayList<>();
        Subtask<Void> forker = null;
        Scope scope = Scope.open(c -> c.withThreadFactory(factory));
        Subtask<Void> canceller;
        Throwable outcome = null;
        try {
            for (int i = 0; i < before; i++) {
                sleepers.add(scope.fork(() -> Thread.sleep(60_000)));
            }
            canceller = scope.fork(() -> {
                if (throwIt) {
                    throw BOOM;
                }
                scope.cancel();
            });
            if (afterFromATask) {
                forker = scope.fork(() -> {
                    for (int i = 0; i < after; i++) {
                        sleepers.add(scope.fork(() -> Thread.sleep(60_000)));
                    }
                });
            } else {
                for (int i = 0; i < after; i++) {
                    sleepers.add(scope.fork(() -> Thread.sleep(60_000)));
                }
            }
            if (ending == Ending.JOIN_THEN_CLOSE) {
                try {
                    scope.join();
                } catch (ScopeFailedException | CancelledException e) {
                    outcome = e;
                }
            }
        } finally {
            if (ending == Ending.CLOSE_WITHOUT_JOIN) {
                IllegalStateException e = assertThrows(IllegalStateException.class, scope::close);
                if (e.getCause() != null) {
                    assertSame(BOOM, e.getCause());
                }
            } else {
                scope.close();
            }
        }
        // close has returned: nothing may still be running
        if (forker != null) {
            Subtask.State f = forker.state();
            if (f != Subtask.State.SUCCESS && f != Subtask.State.CANCELLED) {
                fail("the forking task ended " + f);
            }
            if (f == Subtask.State.SUCCESS) {
                assertEquals(before + after, sleepers.size(), "the forking task forked every sleeper");
            }
        }
        for (Subtask<Void> s : sleepers) {
            assertEquals(Subtask.State.CANCELLED, s.state(), "a sleeper");
        }
        if (ending == Ending.CLOSE_WITHOUT_JOIN) {
            Subtask.State s = canceller.state();
            if (s == Subtask.State.RUNNING || s == Subtask.State.SUCCESS && throwIt || s == Subtask.State.FAILED && !throwIt) {
                fail("canceller ended " + s);
            }
            return;
        }
        if (throwIt) {
            ScopeFailedException e = assertInstanceOf(ScopeFailedException.class, outcome);
            assertSame(BOOM, e.getCause());
            assertEquals(0, e.getSuppressed().length, Arrays.toString(e.getSuppressed()));
            assertEquals(Subtask.State.FAILED, canceller.state());
            assertSame(BOOM, scope.context().cause().orElseThrow());
        } else {
            assertEquals(Subtask.State.SUCCESS, canceller.state());
            boolean anyCancelled = !sleepers.isEmpty() || forker != null && forker.state() == Subtask.State.CANCELLED;
            if (!anyCancelled) {
                assertNull(outcome, "nothing was cancelled, so join succeeds");
            } else {
                CancelledException e = assertInstanceOf(CancelledException.class, outcome);
                assertSame(scope.context().cause().orElseThrow(), e.cause());
                assertEquals(0, e.getSuppressed().length, Arrays.toString(e.getSuppressed()));
            }
        }
    }
}
