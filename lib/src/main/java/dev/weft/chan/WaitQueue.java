package dev.weft.chan;

/**
 * A FIFO queue of {@link Node}s, intrusive and doubly linked so that a waiter that gives up can
 * leave from the middle in O(1). Guarded by the lock of the channel that owns it.
 */
final class WaitQueue {
    private Node head;
    private Node tail;

    boolean isEmpty() {
        return head == null;
    }

    void add(Node n) {
        n.linked = true;
        n.prev = tail;
        n.next = null;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
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
        if (n.linked) {
            unlink(n);
        }
    }

    private void unlink(Node n) {
        Node p = n.prev;
        Node x = n.next;
        if (p == null) {
            head = x;
        } else {
            p.next = x;
        }
        if (x == null) {
            tail = p;
        } else {
            x.prev = p;
        }
        n.prev = n.next = null;
        n.linked = false;
    }

    /** Unlinks every node and returns the former head; the nodes keep their {@code next} links. */
    Node detachAll() {
        Node h = head;
        head = tail = null;
        for (Node n = h; n != null; n = n.next) {
            n.linked = false;
        }
        return h;
    }

    int size() {
        int k = 0;
        for (Node n = head; n != null; n = n.next) {
            k++;
        }
        return k;
    }
}
