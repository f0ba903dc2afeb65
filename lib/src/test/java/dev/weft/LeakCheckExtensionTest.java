package dev.weft;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.internal.LiveThreads;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The leak check itself can fail: it reports live weft threads, an unclosed scope and a stray interrupt. */
@ExtendWith(LeakCheckExtension.class)
class LeakCheckExtensionTest {
    private static final Duration SHORT = Duration.ofMillis(50);

    @Test
    void passesWhenNothingIsLeft() {
        assertDoesNotThrow(() -> LeakCheckExtension.check("a clean test", SHORT));
    }

    @Test
    void reportsAWeftThreadThatIsStillLive() {
        LiveThreads.started();
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> LeakCheckExtension.check("a leaky test", SHORT));
            assertTrue(e.getMessage().contains("1 weft thread(s) still live"), e.getMessage());
        } finally {
            LiveThreads.ended();
        }
    }

    @Test
    void reportsAScopeLeftOpenAndRestoresTheRootContext() {
        Scope scope = Scope.open(c -> c.withName("forgotten"));
        AssertionError e = assertThrows(AssertionError.class, () -> LeakCheckExtension.check("an unclosed scope", SHORT));
        assertTrue(e.getMessage().contains("forgotten"), e.getMessage());
        assertEquals(Context.ROOT, Context.current());
        scope.cancel();
    }

    @Test
    void reportsAndClearsAStrayInterrupt() {
        Thread.currentThread().interrupt();
        AssertionError e = assertThrows(AssertionError.class, () -> LeakCheckExtension.check("an interrupted test", SHORT));
        assertTrue(e.getMessage().contains("interrupt"), e.getMessage());
        assertTrue(!Thread.currentThread().isInterrupted());
    }
}
