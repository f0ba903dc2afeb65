/**
 * weft: structured concurrency for Java 21+, the Go way.
 *
 * <ul>
 *   <li>{@link dev.weft} &mdash; {@link dev.weft.Scope scopes} (errgroup / StructuredTaskScope),
 *       {@link dev.weft.Context contexts} (Go's {@code context}), deadlines and cancellation,
 *       the weighted {@link dev.weft.Semaphore}, scope limits ({@code withLimit}, {@code tryFork})
 *       and bounded parallelism with {@link dev.weft.Par};</li>
 *   <li>{@link dev.weft.chan} &mdash; Go channels ({@link dev.weft.chan.Channel}) and
 *       {@link dev.weft.chan.Select select};</li>
 *   <li>{@link dev.weft.time} &mdash; the injectable {@link dev.weft.time.TimeSource} and
 *       {@link dev.weft.time.ManualTime} for deterministic tests, {@link dev.weft.time.Ticker},
 *       {@link dev.weft.time.Timer}, {@link dev.weft.time.Debouncer},
 *       {@link dev.weft.time.Throttler}, the context-aware {@link dev.weft.time.Sleep},
 *       {@link dev.weft.time.Backoff}, {@link dev.weft.time.Retry} and the token-bucket
 *       {@link dev.weft.time.RateLimiter}.</li>
 * </ul>
 * {@code dev.weft.internal} holds the machinery and is not exported.
 */
module dev.weft {
    requires org.slf4j;

    exports dev.weft;
    exports dev.weft.chan;
    exports dev.weft.time;
}
