package dev.weft;

import dev.weft.internal.LiveThreads;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The leak check every weft test class registers with {@code @ExtendWith(LeakCheckExtension.class)}.
 *
 * <p>After each test and after the whole class it asserts that
 * <ul>
 *   <li>every thread weft started has finished its weft work ({@link LiveThreads#count()} returns
 *       to zero; it is polled for up to {@link #BOUND}, so only a real leak fails);</li>
 *   <li>the test thread is back at the root context (every scope it opened was closed);</li>
 *   <li>the test did not leave the test thread's interrupt flag set.</li>
 * </ul>
 * A failed check also repairs the thread (root context, flag cleared), so one broken test does
 * not make the following ones fail too.
 */
@SuppressWarnings("exports") // JUnit types in the signatures: this class only lives in the test build
public final class LeakCheckExtension implements AfterEachCallback, AfterAllCallback {
    /** How long weft threads may take to finish after a test ends before it counts as a leak. */
    static final Duration BOUND = Duration.ofSeconds(5);

    /** Instantiated by JUnit for {@code @ExtendWith}. */
    public LeakCheckExtension() {}

    @Override
    public void afterEach(ExtensionContext context) {
        check("after " + context.getDisplayName(), BOUND);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check("after all tests of " + context.getDisplayName(), BOUND);
    }

    /** Runs every check; throws {@link AssertionError} describing the first problem found. */
    static void check(String when, Duration bound) {
        boolean interrupted = Thread.interrupted();
        Context left = Context.currentOrNull();
        if (left != null) {
            Context.setCurrent(Context.ROOT);
        }
        long live = awaitNoLiveThreads(bound);
        if (live != 0) {
            throw new AssertionError("leak " + when + ": " + live + " weft thread(s) still live after " + bound);
        }
        if (left != null) {
            throw new AssertionError("leak " + when + ": the test thread was left in " + left
                    + " instead of the root context (a scope was not closed)");
        }
        if (interrupted) {
            throw new AssertionError("leak " + when + ": the test left the test thread's interrupt flag set");
        }
    }

    /** Polls {@link LiveThreads#count()} until it is zero or {@code bound} passes; returns the last count. */
    static long awaitNoLiveThreads(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        long live;
        while ((live = LiveThreads.count()) != 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        return live;
    }
}
