package dev.weft.internal;

import java.lang.invoke.VarHandle;

/**
 * A non-reentrant test-and-test-and-set lock over an {@code int} field of its owner (0 = free,
 * 1 = held), for critical sections of a few dozen instructions that never block, never call user
 * code and, when several such locks are held at once, are always taken in one global order.
 *
 * <p>Why not a {@link java.util.concurrent.locks.ReentrantLock}: when two virtual threads on two
 * cores hand elements to each other through a channel, the lock is contended on almost every
 * operation, and {@code ReentrantLock} then often parks the loser, which for a virtual thread means
 * unmounting and being rescheduled: microseconds, for a critical section that lasts tens of
 * nanoseconds. The lock word lives in the object it guards, so taking the lock also brings that
 * object's fields into the cache. A waiter polls the word ({@link Thread#onSpinWait}) and, every
 * {@value #SPINS} polls, {@link Thread#yield yields}: a virtual thread then lets the other virtual
 * threads of its carrier run (the holder among them, should it have been preempted before it could
 * release), a platform thread gives up its time slice. No waiter ever parks, so the lock needs no
 * queue; a holder is never descheduled by weft itself, because nothing blocks inside.
 *
 * <p>Memory consistency effects: actions prior to {@link #release} happen-before actions after a
 * subsequent {@link #acquire} of the same lock (a release store and a compare-and-set on the word).
 * The jcstress test {@code ChannelTrySendHappensBeforeTryReceive} exercises it: {@code trySend} and
 * {@code tryReceive} of a buffered channel meet only through the channel's lock.
 */
public final class SpinLock {
    private static final int SPINS = 256;

    private SpinLock() {}

    /** Takes the lock whose word {@code word} locates in {@code owner}. */
    public static void acquire(VarHandle word, Object owner) {
        if (!word.compareAndSet(owner, 0, 1)) {
            contended(word, owner);
        }
    }

    private static void contended(VarHandle word, Object owner) {
        int spins = 0;
        while ((int) word.getOpaque(owner) != 0 || !word.compareAndSet(owner, 0, 1)) {
            if (++spins == SPINS) {
                spins = 0;
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Releases the lock; called only by the thread that holds it. */
    public static void release(VarHandle word, Object owner) {
        word.setRelease(owner, 0);
    }
}
