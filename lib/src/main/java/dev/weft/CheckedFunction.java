package dev.weft;

/**
 * A function that may throw checked exceptions: the per-item work of {@link Par#map} and
 * {@link Par#mapOrdered}, {@code item -> fetch(item)}.
 *
 * @param <T> the item type
 * @param <R> the result type
 */
@FunctionalInterface
public interface CheckedFunction<T, R> {
    R apply(T item) throws Exception;
}
