package dev.weft.chan;

/**
 * A channel's two FIFO queues of waiting operations, senders and receivers, as fields of the
 * channel object itself: {@link Channel} extends this class. Intrusive and doubly linked through
 * {@link Node#before} and {@link Node#after}, so that a waiter that gives up leaves from the middle
 * in O(1). Guarded by the channel's lock.
 *
 * <p>Why fields of the channel and not two queue objects: every hand-off reads or writes a queue's
 * head right after taking the channel's lock, on the core that just took the lock's cache line
 * from its partner's. With the heads in the same object they usually come along with that line;
 * as two more objects they were one more cache miss on each side of every hand-off (ADR 0010).
 * Every method takes the side as a constant ({@link #SENDERS} or {@link #RECEIVERS}), which the
 * compiler folds away.
 */
abstract class WaitQueues {
    /** The side of the waiting senders (nodes holding their elements). */
    static final boolean SENDERS = true;
    /** The side of the waiting receivers. */
    static final boolean RECEIVERS = false;

    private Node sendersHead;
    private Node sendersTail;
    private Node receiversHead;
    private Node receiversTail;

    WaitQueues() {}

    /** Appends {@code n} to the queue of {@code side}. */
    final void enqueue(boolean side, Node n) {
        Node tail = side ? sendersTail : receiversTail;
        n.queued = true;
        n.before = tail;
        n.after = null;
        if (tail == null) {
            setHead(side, n);
        } else {
            tail.after = n;
        }
        setTail(side, n);
    }

    /** Unlinks and returns the first node of {@code side}, or null. */
    final Node dequeue(boolean side) {
        Node n = side ? sendersHead : receiversHead;
        if (n != null) {
            unlink(side, n);
        }
        return n;
    }

    /** Unlinks {@code n} from the queue of {@code side} if it is still queued. */
    final void remove(boolean side, Node n) {
        if (n.queued) {
            unlink(side, n);
        }
    }

    /** Empties the queue of {@code side} and returns its former head; the nodes keep their {@code after} links. */
    final Node detachAll(boolean side) {
        Node h = side ? sendersHead : receiversHead;
        setHead(side, null);
        setTail(side, null);
        for (Node n = h; n != null; n = n.after) {
            n.queued = false;
        }
        return h;
    }

    /** The number of nodes queued on {@code side}. */
    final int queued(boolean side) {
        int k = 0;
        for (Node n = side ? sendersHead : receiversHead; n != null; n = n.after) {
            k++;
        }
        return k;
    }

    private void unlink(boolean side, Node n) {
        Node p = n.before;
        Node x = n.after;
        if (p == null) {
            setHead(side, x);
        } else {
            p.after = x;
        }
        if (x == null) {
            setTail(side, p);
        } else {
            x.before = p;
        }
        n.before = n.after = null;
        n.queued = false;
    }

    private void setHead(boolean side, Node n) {
        if (side) {
            sendersHead = n;
        } else {
            receiversHead = n;
        }
    }

    private void setTail(boolean side, Node n) {
        if (side) {
            sendersTail = n;
        } else {
            receiversTail = n;
        }
    }
}
