package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CancelSignal: the first cause wins, listeners run before the hook, and a cancel that loses the
 * race returns only after the winner has run every listener and the hook.
 */
@ExtendWith(LeakCheckExtension.class)
class CancelSignalTest {
    private static final long WAIT_SECONDS = 10;

    private static final class Recording extends CancelSignal {
        final List<String> log = new ArrayList<>();

        @Override
        protected void onCancelled(Throwable cause) {
            log.add("hook:" + cause.getMessage());
        }
    }

    private static CancelSignal.Listener listener(Runnable body) {
        return new CancelSignal.Listener() {
            @Override
            protected void cancelled(Throwable cause) {
                body.run();
            }
        };
    }

    @Test
    void theFirstCauseWinsAndListenersRunInOrderBeforeTheHook() {
        Recording signal = new Recording();
        assertTrue(signal.add(listener(() -> signal.log.add("a"))));
        CancelSignal.Listener removed = listener(() -> signal.log.add("removed"));
        assertTrue(signal.add(removed));
        assertTrue(signal.add(listener(() -> signal.log.add("b"))));
        assertTrue(signal.remove(removed), "a linked listener is prevented");
        assertFalse(signal.remove(removed), "only once");

        IllegalStateException first = new IllegalStateException("first");
        assertTrue(signal.cancel(first));
        assertFalse(signal.cancel(new IllegalStateException("second")));
        assertSame(first, signal.cause());
        assertEquals(List.of("a", "b", "hook:first"), signal.log);
        assertFalse(signal.add(listener(() -> signal.log.add("late"))), "a fired signal takes no listener");
    }

    @Test
    void aLosingCancelReturnsOnlyAfterTheWinnerHasRunItsListenersAndHook() throws Exception {
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean hookRan = new AtomicBoolean();
        CancelSignal signal = new CancelSignal() {
            @Override
            protected void onCancelled(Throwable cause) {
                hookRan.set(true);
            }
        };
        signal.add(listener(() -> {
            inListener.countDown();
            awaitUninterruptibly(release);
        }));
        Thread winner = Thread.ofPlatform().start(() -> signal.cancel(new IllegalStateException("winner")));
        assertTrue(inListener.await(WAIT_SECONDS, TimeUnit.SECONDS));

        CompletableFuture<Boolean> hookSeenByLoser = new CompletableFuture<>();
        Thread loser = Thread.ofPlatform().start(() -> {
            boolean won = signal.cancel(new IllegalStateException("loser"));
            hookSeenByLoser.complete(!won && hookRan.get() && Thread.interrupted());
        });
        awaitWaiting(loser);
        assertFalse(hookSeenByLoser.isDone(), "the losing cancel returned while the winner was still propagating");
        loser.interrupt(); // the wait is uninterruptible: the flag is kept, the wait goes on
        awaitWaiting(loser);
        assertFalse(hookSeenByLoser.isDone(), "an interrupt ended the losing cancel's wait");

        release.countDown();
        assertTrue(hookSeenByLoser.get(WAIT_SECONDS, TimeUnit.SECONDS), "the loser returned after the hook ran, with its interrupt flag kept");
        winner.join();
        loser.join();
        signal.awaitPropagated(); // returns at once once propagated
    }

    @Test
    void aListenerThatCancelsItsOwnSignalAgainDoesNotWaitForItself() throws Exception {
        CancelSignal signal = new CancelSignal();
        List<Boolean> inner = new ArrayList<>();
        signal.add(listener(() -> {
            inner.add(signal.cancel(new IllegalStateException("again")));
            signal.awaitPropagated();
        }));
        CompletableFuture<Boolean> outer = CompletableFuture.supplyAsync(() -> signal.cancel(new IllegalStateException("first")),
                r -> Thread.ofPlatform().start(r));
        assertTrue(outer.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of(false), inner);
        assertEquals("first", signal.cause().getMessage());
    }

    @Test
    void awaitPropagatedOnASignalThatIsNotCancelledReturnsAtOnce() {
        CancelSignal signal = new CancelSignal();
        signal.awaitPropagated();
        assertFalse(signal.isCancelled());
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("timed out waiting for a latch");
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(thread + " never blocked");
            }
            Thread.sleep(1);
        }
    }
}
