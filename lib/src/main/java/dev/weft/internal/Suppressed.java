package dev.weft.internal;

/** The hand-over that {@code rethrowCause} does, so that unwrapping a cause loses none of the other failures. */
public final class Suppressed {
    private Suppressed() {}

    /** Adds every exception suppressed on {@code from} to {@code to}, except {@code to} itself. */
    public static void handOver(Throwable from, Throwable to) {
        for (Throwable s : from.getSuppressed()) {
            if (s != to) {
                to.addSuppressed(s);
            }
        }
    }
}
