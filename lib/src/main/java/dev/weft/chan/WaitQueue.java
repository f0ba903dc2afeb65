package dev.weft.chan;

/**
 * A FIFO queue of {@link Node}s, intrusive and doubly linked so that a waiter that gives up can
 * leave from the middle in O(1). Guarded by the lock of the channel that owns it.
 */
final class WaitQueue {
    private Node head;
    private Node tail;

    void add(Node n) {
        n.queued = true;
        n.before = tail;
        n.after = null;
        if (tail == null) {
            head = n;
        } else {
            tail.after = n;
        }
        tail = n;
    }

    /** Unlinks and returns the first node, or null. */
    Node poll() {
        Node n = head;
        if (n != null) {
            unlink(n);
        }
        return n;
    }

    /** Unlinks {@code n} if it is still in this queue. */
    void remove(Node n) {
        if (n.queued) {
            unlink(n);
        }
    }

    private void unlink(Node n) {
        Node p = n.before;
        Node x = n.after;
        if (p == null) {
            head = x;
        } else {
            p.after = x;
        }
        if (x == null) {
            tail = p;
        } else {
            x.before = p;
        }
        n.before = n.after = null;
        n.queued = false;
    }

    /** Unlinks every node and returns the former head; the nodes keep their {@code after} links. */
    Node detachAll() {
        Node h = head;
        head = tail = null;
        for (Node n = h; n != null; n = n.after) {
            n.queued = false;
        }
        return h;
    }

    int size() {
        int k = 0;
        for (Node n = head; n != null; n = n.after) {
            k++;
        }
        return k;
    }
}
