/**
 * weft: structured concurrency for Java 21+, the Go way.
 *
 * <ul>
 *   <li>{@link dev.weft} &mdash; {@link dev.weft.Scope scopes} (errgroup / StructuredTaskScope),
 *       {@link dev.weft.Context contexts} (Go's {@code context}), deadlines and cancellation,
 *       the weighted {@link dev.weft.Semaphore}, scope limits ({@code withLimit}, {@code tryFork}) and
 *       bounded parallelism with {@link dev.weft.Par};</li>
 *   <li>{@link dev.weft.time} &mdash; the injectable {@link dev.weft.time.TimeSource} and
 *       {@link dev.weft.time.ManualTime} for deterministic tests.</li>
 *   <li>{@link dev.weft.time} &mdash; also the context-aware {@link dev.weft.time.Sleep},
 *       {@link dev.weft.time.Backoff}, {@link dev.weft.time.Retry} and the token-bucket
 *       {@link dev.weft.time.RateLimiter}.</li>
 * </ul>
 * {@code dev.weft.internal} holds the machinery and is not exported.
 */
module dev.weft {
    requires org.slf4j;

    exports dev.weft;
    exports dev.weft.time;
}
