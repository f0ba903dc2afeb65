package dev.weft.chan;

/** What the channel tests check after every scenario: nobody is left waiting on a channel. */
final class ChannelWaiters {
    private ChannelWaiters() {}

    /** What {@link #waiters} says of a channel on which no operation waits. */
    static final String NOBODY_WAITING = "0 senders and 0 receivers waiting";

    /**
     * The senders and receivers linked in {@code ch}'s queues right now: "n senders and m
     * receivers waiting". Unlike a {@code trySend} that finds no receiver, this also sees a node
     * that was left linked by a waiter that gave up.
     */
    static String waiters(Channel<?> ch) {
        return ch.waitingSenders() + " senders and " + ch.waitingReceivers() + " receivers waiting";
    }
}
