package dev.weft.chan;

import dev.weft.internal.ClaimableParker;

/**
 * One waiting operation in a channel's queue of senders or receivers: a blocked {@code send} or
 * {@code receive}, or one channel clause of a blocked {@code select}.
 *
 * <p>Every field but {@code item} of a send node and the owner is guarded by the lock of the
 * channel whose queue holds the node. The claimer (a partner holding that lock) writes
 * {@code item} (a receive node) or {@code closed} before it claims {@code owner} with
 * {@code index}; the owner reads them after it sees that claim, a volatile read of the owner's
 * state, so it sees them.
 */
final class Node {
    /** The waiter this node belongs to; a select has one per clause, all with the same owner. */
    final ClaimableParker owner;
    /** What the owner's state becomes when this node is claimed: 0, or the select clause's index. */
    final int index;
    /** A send node's element (set at creation); a receive node's received element (set by the claimer). */
    Object item;
    /** Set by {@code close}/{@code fail} when it claims the node: the channel closed instead. */
    boolean closed;

    Node prev;
    Node next;
    /** In a queue right now. */
    boolean linked;

    Node(ClaimableParker owner, int index, Object item) {
        this.owner = owner;
        this.index = index;
        this.item = item;
    }
}
