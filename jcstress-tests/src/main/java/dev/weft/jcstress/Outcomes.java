package dev.weft.jcstress;

import dev.weft.Subtask;

/** Short names for the parts of a textual jcstress outcome. */
final class Outcomes {
    private Outcomes() {}

    /** "-" for null, otherwise the simple class name of the throwable. */
    static String name(Throwable t) {
        return t == null ? "-" : t.getClass().getSimpleName();
    }

    /** The state of a subtask, or "-" if there is none. */
    static String state(Subtask<?> subtask) {
        return subtask == null ? "-" : subtask.state().name();
    }

    static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
