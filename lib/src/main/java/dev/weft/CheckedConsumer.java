package dev.weft;

/**
 * An action on one item that may throw checked exceptions: the per-item work of
 * {@link Par#forEach} and the sink of {@link Par#mapOrdered}, {@code message -> handle(message)}.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface CheckedConsumer<T> {
    void accept(T item) throws Exception;
}
