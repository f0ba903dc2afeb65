package dev.weft.chan;

import dev.weft.internal.ClaimableParker;

/**
 * One waiting operation in a channel's queue of senders or receivers: a blocked {@code send} or
 * {@code receive}, or one channel clause of a blocked {@code select}.
 *
 * <p>A blocked {@code send} or {@code receive} waits on its node itself (a node is a
 * {@link ClaimableParker}, so the wait costs one object, and the claimed state and the element
 * share a cache line); the clauses of a select all point to the select's one parker.
 *
 * <p>Every field but {@code item} of a send node and the owner is guarded by the lock of the
 * channel whose queue holds the node. The claimer (a partner holding that lock) writes
 * {@code item} (a receive node) or {@code closed} before it claims {@code owner} with
 * {@code index}; the owner reads them after it sees that claim, a volatile read of the owner's
 * state, so it sees them.
 */
final class Node extends ClaimableParker {
    /** The waiter this node belongs to: itself, or the parker of the select it is a clause of. */
    final ClaimableParker owner;
    /** What the owner's state becomes when this node is claimed: 0, or the select clause's index. */
    final int index;
    /** A send node's element (set at creation); a receive node's received element (set by the claimer). */
    Object item;
    /** Set by {@code close}/{@code fail} when it claims the node: the channel closed instead. */
    boolean closed;

    /** The neighbours in the queue (named apart from the cancellation listener's own links). */
    Node before;
    Node after;
    /** In a queue right now. */
    boolean queued;

    /** The node of a select clause, owned by the select's {@code owner}. */
    Node(ClaimableParker owner, int index, Object item) {
        this.owner = owner;
        this.index = index;
        this.item = item;
    }

    /** The node of a plain {@code send} ({@code item} is the element) or {@code receive} (null): its own waiter. */
    Node(Object item) {
        this.owner = this;
        this.index = 0;
        this.item = item;
    }
}
