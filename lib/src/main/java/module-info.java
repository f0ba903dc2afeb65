/**
 * weft: structured concurrency for Java 21+, the Go way.
 *
 * <ul>
 *   <li>{@link dev.weft} &mdash; {@link dev.weft.Scope scopes} (errgroup / StructuredTaskScope),
 *       {@link dev.weft.Context contexts} (Go's {@code context}), deadlines and cancellation,
 *       and the weighted {@link dev.weft.Semaphore};</li>
 *   <li>{@link dev.weft.chan} &mdash; Go channels ({@link dev.weft.chan.Channel}) and
 *       {@link dev.weft.chan.Select select};</li>
 *   <li>{@link dev.weft.time} &mdash; the injectable {@link dev.weft.time.TimeSource} and
 *       {@link dev.weft.time.ManualTime} for deterministic tests.</li>
 * </ul>
 * {@code dev.weft.internal} holds the machinery and is not exported.
 */
module dev.weft {
    requires org.slf4j;

    exports dev.weft;
    exports dev.weft.chan;
    exports dev.weft.time;
}
