package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.LeakCheckExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ClaimableParker: one outcome, settled once; a claim wins over a later cancellation or interrupt. */
@ExtendWith(LeakCheckExtension.class)
class ClaimableParkerTest {

    @Test
    void theFirstClaimWinsAndLaterOnesFail() {
        ClaimableParker p = new ClaimableParker();
        assertEquals(ClaimableParker.WAITING, p.state());
        assertTrue(p.tryClaim(3));
        assertFalse(p.tryClaim(4));
        assertFalse(p.tryClaim(ClaimableParker.CANCELLED));
        assertEquals(3, p.state());
        assertEquals(3, p.await(null, 0, false, 0), "a settled wait returns at once");
    }

    @Test
    void aClaimMadeBeforeTheCancellationIsSeenWinsOverIt() {
        CancelSignal signal = new CancelSignal();
        ClaimableParker p = new ClaimableParker();
        p.tryClaim(0); // the partner completed the operation...
        signal.cancel(new IllegalStateException("stop")); // ...and the context is cancelled an instant later
        assertEquals(0, p.await(signal, 0, false, 0), "the operation happened, so the wait reports it");
    }

    @Test
    void aClaimThatWinsOverAnInterruptKeepsTheFlag() {
        ClaimableParker p = new ClaimableParker();
        p.tryClaim(1);
        Thread.currentThread().interrupt();
        assertEquals(1, p.await(null, 0, false, 0));
        assertTrue(Thread.interrupted(), "the interrupt is not swallowed");
    }

    @Test
    void anUnclaimedWaitGivesUpForCancellationBeforeInterruptAndForTimeouts() {
        CancelSignal signal = new CancelSignal();
        signal.cancel(new IllegalStateException("stop"));
        Thread.currentThread().interrupt();
        assertEquals(ClaimableParker.CANCELLED, new ClaimableParker().await(signal, 0, false, 0));
        assertTrue(Thread.interrupted(), "cancellation wins; the flag stays set");

        Thread.currentThread().interrupt();
        assertEquals(ClaimableParker.INTERRUPTED, new ClaimableParker().await(null, 0, false, 0));
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was consumed by the outcome");

        assertEquals(ClaimableParker.TIMED_OUT, new ClaimableParker().await(null, 0, true, System.nanoTime()));
        ClaimableParker given = new ClaimableParker();
        given.await(null, 0, true, System.nanoTime());
        assertFalse(given.tryClaim(0), "after giving up, no partner can claim it");
    }
}
