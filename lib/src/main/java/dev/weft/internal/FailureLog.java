package dev.weft.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The failures of a scope's tasks in arrival order: the first, then the others. Failures are rare,
 * so a lock is the simplest correct choice; the readers read only after every task has ended.
 */
public final class FailureLog {
    private final ReentrantLock lock = new ReentrantLock();
    private Throwable first;
    private List<Throwable> others = List.of();

    /** Records {@code failure}; returns true if it is the first one. */
    public boolean add(Throwable failure) {
        lock.lock();
        try {
            if (first == null) {
                first = failure;
                return true;
            }
            if (others.isEmpty()) {
                others = new ArrayList<>(2);
            }
            others.add(failure);
            return false;
        } finally {
            lock.unlock();
        }
    }

    public Throwable first() {
        lock.lock();
        try {
            return first;
        } finally {
            lock.unlock();
        }
    }

    /** The failures after the first, as a snapshot. */
    public List<Throwable> others() {
        lock.lock();
        try {
            return List.copyOf(others);
        } finally {
            lock.unlock();
        }
    }

    /** Adds every recorded failure except {@code skip} as suppressed to {@code target}. */
    public void suppressInto(Throwable target, Throwable skip) {
        Throwable f = first();
        if (f != null && f != skip && f != target) {
            target.addSuppressed(f);
        }
        for (Throwable t : others()) {
            if (t != skip && t != target) {
                target.addSuppressed(t);
            }
        }
    }
}
