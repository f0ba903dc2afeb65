package dev.weft;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.internal.CancelSignal;
import dev.weft.internal.CurrentSignal;
import dev.weft.internal.Parker;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bridge that lets dev.weft.chan and dev.weft.time wait on the current context, and the Parker built on it. */
@ExtendWith(LeakCheckExtension.class)
class CurrentSignalTest {

    @Test
    void isNullAtTheRootAndTheScopesSignalInsideItsOwnerAndItsTasks() throws Exception {
        assertNull(CurrentSignal.get());
        try (var scope = Scope.open()) {
            assertSame(scope.context().signal, CurrentSignal.get());
            Subtask<CancelSignal> inTask = scope.fork(CurrentSignal::get);
            try (var inner = Scope.open()) {
                assertSame(inner.context().signal, CurrentSignal.get());
            }
            scope.join();
            assertSame(scope.context().signal, inTask.get());
        }
        assertNull(CurrentSignal.get());
    }

    @Test
    void aSecondInstallIsRefused() {
        assertThrows(IllegalStateException.class, () -> CurrentSignal.install(() -> null));
    }

    /** A parker in the owner of a scope is woken by the scope's cancellation from another thread, with no interrupt. */
    @Test
    void anArmedParkerIsWokenByCancellationAndADisarmedOneIsNot() throws Exception {
        try (var scope = Scope.open()) {
            Parker parker = new Parker() {};
            parker.arm();
            AtomicBoolean cancelledByHelper = new AtomicBoolean();
            var helper = TestSupport.onNewThread("canceller", () -> {
                TestSupport.awaitBlocked(parker.thread());
                cancelledByHelper.set(true);
                scope.cancel();
                return null;
            });
            while (!scope.isCancelled()) {
                LockSupport.park(this);
            }
            parker.disarm();
            helper.get();
            assertTrue(cancelledByHelper.get());
            assertFalse(Thread.currentThread().isInterrupted(), "weft never interrupts the owner");
        }
        Parker late = new Parker() {};
        try (var scope = Scope.open()) {
            late.arm();
            late.disarm();
            assertFalse(scope.context().signal.remove(late), "disarm unregistered it");
        }
    }
}
