package dev.weft;

/**
 * Thrown by {@link Scope#close()} when scopes are not closed in the reverse order of opening: a
 * scope was closed while a scope opened after it, by the same thread, was still open. Before it
 * is thrown the inner scopes have been closed and every thread of every one of them has ended.
 * (weft's own type: the JDK's {@code StructureViolationException} is a preview API in JDK 21.)
 */
public class StructureViolationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StructureViolationException(String message) {
        super(message);
    }
}
