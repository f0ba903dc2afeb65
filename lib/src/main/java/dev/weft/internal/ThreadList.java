package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The live threads of a scope, so that cancellation can interrupt them.
 *
 * <p>Implementation overview. A Treiber stack: {@link #add} pushes a node by CAS on {@code head};
 * {@link #remove} only clears the node's {@code thread} (one release-store, no CAS, no lock), so
 * finishing a task costs nothing here. {@link #interruptAll} walks from {@code head} and
 * interrupts every node whose thread is still set.
 *
 * <p>Cleared nodes are unlinked lazily by whichever pushing thread crosses {@code cleanAt}; only
 * one thread cleans at a time (a CAS-guarded flag) and it never unlinks {@code head}, so pushes
 * (which touch only {@code head}) and cleaning (which touches only {@code next} links behind it)
 * never conflict. An unlinked node keeps its {@code next}, so a concurrent walk that stands on it
 * still reaches every node behind it: no live node is ever skipped. After a clean that keeps
 * {@code k} nodes the next one is due after {@code max(64, k)} more pushes, so cleaning costs
 * amortised O(1) per push and the stack holds at most about twice the live threads plus 64:
 * memory is O(live), not O(forked).
 *
 * <p>Correctness against cancellation (the Dekker pair the scope relies on): the forking thread
 * pushes (CAS on head) and then reads the cancellation cause; the cancelling thread writes the
 * cause (CAS) and then reads head. Both are synchronization actions, so at least one side sees the
 * other: either the fork sees the cancellation and does not start the task, or the walk sees the
 * node and interrupts it.
 */
public final class ThreadList {
    private static final VarHandle HEAD;
    private static final VarHandle CLEANING;
    private static final VarHandle THREAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(ThreadList.class, "head", Node.class);
            CLEANING = l.findVarHandle(ThreadList.class, "cleaning", int.class);
            THREAD = l.findVarHandle(Node.class, "thread", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int MIN_CLEAN_INTERVAL = 64;

    private volatile Node head;
    private volatile int cleaning;
    private volatile long cleanAt = MIN_CLEAN_INTERVAL;

    /** A slot in the list; opaque to callers. */
    public static final class Node {
        private Thread thread;
        private volatile Node next;
        private long seq;

        Node(Thread thread) {
            this.thread = thread;
        }
    }

    /** Adds {@code thread}; the returned node is later passed to {@link #remove}. */
    public Node add(Thread thread) {
        Node node = new Node(thread);
        Node h;
        do {
            h = head;
            node.next = h;
            node.seq = h == null ? 1 : h.seq + 1;
        } while (!HEAD.compareAndSet(this, h, node));
        if (node.seq >= cleanAt) {
            clean(node);
        }
        return node;
    }

    /** Marks the node's thread as no longer to be interrupted. */
    public static void remove(Node node) {
        THREAD.setRelease(node, (Thread) null);
    }

    /**
     * Interrupts every thread added and not yet removed, except the calling thread: a task that
     * cancels its own scope is not interrupted by it (as with Go's {@code cancel()}), it just
     * sees the cancellation.
     */
    public void interruptAll() {
        Thread me = Thread.currentThread();
        for (Node n = head; n != null; n = n.next) {
            Thread t = (Thread) THREAD.getAcquire(n);
            if (t != null && t != me) {
                t.interrupt();
            }
        }
    }

    private void clean(Node from) {
        if (!CLEANING.compareAndSet(this, 0, 1)) {
            return;
        }
        try {
            long kept = 1;
            Node prev = from;
            for (Node cur = prev.next; cur != null; cur = cur.next) {
                if (THREAD.getAcquire(cur) == null) {
                    prev.next = cur.next;
                } else {
                    prev = cur;
                    kept++;
                }
            }
            cleanAt = from.seq + Math.max(MIN_CLEAN_INTERVAL, kept);
        } finally {
            cleaning = 0;
        }
    }
}
