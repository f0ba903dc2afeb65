#!/usr/bin/env python3
"""Turns JMH JSON results (-rf json) into the README's Markdown tables.

Every figure is the median of a benchmark's measured iterations (or single shots), and every ratio
compares two medians from the given results, so pass the results of one run to compare peers
measured side by side. A table is printed for each benchmark class present in the results:
ScopeBench, CancelBench, ParBench, SemaphoreBench, ChannelBench, TimeBench, RetryBench and
RateLimiterBench (their Preview* twins from the JDK 25 source set count as the same class).
With -prof gc, the allocation per operation is added where a table has a column for it.

usage: python3 jmh/src/build/tables.py result.json [more.json ...] [--go go-bench-output.txt]

--go takes the output of the Go twin (cd jmh/go && go test -run '^$' -bench . ...) and adds its
column to the channel table.
"""
import json
import statistics
import sys


def load(paths):
    """{(class, method, param): (median time, median bytes allocated per op or None)}.

    The time comes from the first file that has the benchmark, so a later -prof gc run (whose
    profiler perturbs the timing) only adds the allocation."""
    out = {}
    for path in paths:
        with open(path) as f:
            runs = json.load(f)
        for run in runs:
            cls, name = run["benchmark"].rsplit(".", 2)[-2:]
            cls = cls.removeprefix("Preview")
            params = list(run.get("params", {}).values())
            samples = [x for fork in run["primaryMetric"]["rawData"] for x in fork]
            norm = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            alloc = statistics.median([x for fork in norm["rawData"] for x in fork]) if norm else None
            key = (cls, name, params[0] if params else None)
            time, old_alloc = out.get(key, (statistics.median(samples), None))
            out[key] = (time, alloc if alloc is not None else old_alloc)
    return out


def go_medians(path):
    """Median ns/op of every benchmark in a `go test -bench` output."""
    runs = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[0].startswith("Benchmark") and parts[3] == "ns/op":
                runs.setdefault(parts[0].split("-")[0], []).append(float(parts[2]))
    return {name: statistics.median(v) for name, v in runs.items()}


def fmt(v):
    if v is None:
        return "n/a"
    if abs(v) < 10:
        return f"{v:,.2f}"
    return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return "n/a"
    r = a / b
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×"


def table(title, header, rows, text_columns=(0,)):
    print(title)
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "".join("---|" if i in text_columns else "---:|" for i in range(len(header))))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


class Results:
    def __init__(self, m):
        self.m = m

    def t(self, cls, name, param=None):
        return self.m.get((cls, name, param), (None, None))[0]

    def alloc(self, cls, name, param=None):
        a = self.m.get((cls, name, param), (None, None))[1]
        return "n/a" if a is None else f"{a:,.0f} B"

    def params(self, cls, name):
        return sorted({p for (c, n, p) in self.m if c == cls and n == name}, key=lambda p: (0, int(p), "") if str(p).isdigit() else (1, 0, str(p)))

    def has(self, cls):
        return any(c == cls for (c, _, _) in self.m)


def scope(r):
    peers = [("weft", "weft"), ("jdkStructuredTaskScope", "JDK STS"), ("joxSupervised", "Jox `supervised`"),
             ("rawVirtual", "raw virtual threads"), ("completableFuture", "`CompletableFuture`")]
    rows = []
    for n in r.params("ScopeBench", "weft"):
        w = r.t("ScopeBench", "weft", n)
        rows.append([f"{int(n):,}"] + [fmt(r.t("ScopeBench", b, n)) for b, _ in peers]
                    + [ratio(w, r.t("ScopeBench", "jdkStructuredTaskScope", n)),
                       ratio(r.t("ScopeBench", "joxSupervised", n), w), ratio(w, r.t("ScopeBench", "rawVirtual", n))])
    table("Open a scope, fork n trivial tasks, join, read every result, close (µs per operation; lower is better):",
          ["n"] + [label for _, label in peers] + ["weft / JDK STS", "Jox / weft", "weft / raw"], rows)


def cancel(r):
    for b in r.params("CancelBench", "weftFailToClose"):
        rows = []
        for what, w, j in [("`close()` returns, every thread ended", "weftFailToClose", "jdkStructuredTaskScopeFailToClose"),
                           ("`join()` throws", "weftFailToJoin", "jdkStructuredTaskScopeFailToJoin")]:
            wv, jv = r.t("CancelBench", w, b), r.t("CancelBench", j, b)
            rows.append([what, fmt(wv), fmt(jv), ratio(wv, jv)])
        table(f"Cancellation latency: {int(b):,} tasks blocked, then one fails (ms, median of single shots; lower is better):",
              ["until", "weft", "JDK STS", "weft / JDK STS"], rows)


def par(r):
    rows = []
    for case, label in [("Trivial", "100 000 trivial items"), ("Sleep", "1 000 items, 1 ms sleep each")]:
        w = r.t("ParBench", "weft" + case)
        peers = [r.t("ParBench", p + case) for p in ("mapConcurrent", "joxParLimit", "semaphoreExecutor", "parallelStream")]
        rows.append([label, fmt(w)] + [fmt(p) for p in peers] + [ratio(p, w) for p in peers[:3]])
    table("A bounded map in input order, limit 64 (ms per operation; lower is better; \"peer / weft\" above 1 means weft is faster):",
          ["case", "weft `Par.map`", "`Gatherers.mapConcurrent`", "Jox `Par.parLimit`", "VT executor + `Semaphore`",
           "`parallelStream`", "mapConcurrent / weft", "Jox / weft", "executor / weft"], rows)


def semaphore(r):
    rows = [("uncontended, 1 thread", "Uncontended", None)]
    rows += [(f"4 threads, {p} permit{'' if p == '1' else 's'}", "Contended", p) for p in r.params("SemaphoreBench", "weftContended")]
    table("`acquire(1)` + `release(1)` (ns per pair; lower is better):",
          ["case", "weft `Semaphore`", "JDK `Semaphore` (fair)", "weft / JDK"],
          [[label, fmt(r.t("SemaphoreBench", "weft" + c, p)), fmt(r.t("SemaphoreBench", "jdkFair" + c, p)),
            ratio(r.t("SemaphoreBench", "weft" + c, p), r.t("SemaphoreBench", "jdkFair" + c, p))] for label, c, p in rows])


def channel(r, go):
    shapes = [
        ("buffered(16), 1 pair", "1", "Buffered", [("arrayBlockingQueue", "`ArrayBlockingQueue(16)`"),
         ("linkedTransferQueue", "`LinkedTransferQueue` (unbounded)")], "BenchmarkBuffered1Pair"),
        ("buffered(16), 10,000 pairs", "10000", "Buffered", [("arrayBlockingQueue", "`ArrayBlockingQueue(16)`"),
         ("linkedTransferQueue", "`LinkedTransferQueue`")], "BenchmarkBuffered10000Pairs"),
        ("rendezvous", None, "Rendezvous", [("synchronousQueue", "`SynchronousQueue`"), ("exchanger", "`Exchanger`"),
         ("linkedTransferQueueTransfer", "`LinkedTransferQueue.transfer`")], "BenchmarkRendezvous"),
        ("select over 2 channels", None, "Select", [], "BenchmarkSelect2"),
        ("select with a clause ready (one thread, per select)", None, "SelectReady", [], "BenchmarkSelect2Ready"),
    ]
    rows = []
    for label, p, shape, peers, gname in shapes:
        w, j = r.t("ChannelBench", "weft" + shape, p), r.t("ChannelBench", "jox" + shape, p)
        jdk = ", ".join(f"{lbl} {fmt(r.t('ChannelBench', b, p))} ({ratio(r.t('ChannelBench', b, p), w)})"
                        for b, lbl in peers if r.t("ChannelBench", b, p) is not None) or "none"
        rows.append([label, fmt(w), fmt(j), ratio(j, w), jdk] + ([fmt(go.get(gname))] if go else []))
    table("One element from a producer to a consumer, both virtual threads (ns per element; lower is better):",
          ["row", "weft", "Jox 1.0.1", "Jox / weft", "JDK peers (peer / weft)"] + (["Go"] if go else []), rows,
          text_columns=(0, 4))


def time(r):
    shapes = [
        ("1,000,000 timers scheduled, then all cancelled (per timer)", "bulkWeft", "bulkStpe"),
        ("one timer scheduled and cancelled at once", "churnWeft", "churnStpe"),
        ("the same through `TimeSource.system()`", "churnWeftTimeSource", "churnStpe"),
        ("`Debouncer.submit` in a burst, 1 thread", "debounceSubmitWeft", "debounceSubmitHandWritten"),
        ("`Debouncer.submit` in a burst, 2 threads", "debounceSubmitWeftContended", "debounceSubmitHandWrittenContended"),
    ]
    rows = [[label, fmt(r.t("TimeBench", w)), fmt(r.t("TimeBench", p)), ratio(r.t("TimeBench", w), r.t("TimeBench", p)),
             r.alloc("TimeBench", w), r.alloc("TimeBench", p)] for label, w, p in shapes]
    table("Timers and debounce (ns per operation; lower is better):",
          ["operation", "weft", "peer", "weft / peer", "weft alloc", "peer alloc"], rows)


def retry(r):
    direct, w = r.t("RetryBench", "direct"), r.t("RetryBench", "weft")
    own = None if w is None or direct is None else max(w - direct, 0)
    rows = []
    for name, label in [("direct", "direct call (baseline)"), ("weft", "weft `Retry.call`"),
                        ("failsafe", "Failsafe 3.3.2 `Failsafe.with(RetryPolicy).get`"),
                        ("resilience4j", "Resilience4j 2.4.0 `Retry.decorateCallable(...).call()`")]:
        t = r.t("RetryBench", name)
        over = None if t is None or direct is None else t - direct
        if name in ("direct", "weft"):
            vs = ""
        elif own == 0:
            vs = "≈ 0× (weft's is within the noise)"
        else:
            vs = ratio(own, over)
        rows.append([label, fmt(t), "" if name == "direct" else fmt(over), vs, r.alloc("RetryBench", name)])
    table("A call that succeeds at once, direct and through a retry (ns per call; overhead = time - direct; lower is better):",
          ["", "time", "overhead", "weft overhead / peer overhead", "alloc"], rows)


def rate_limiter(r):
    names = ("weft", "resilience4j", "failsafeSmooth", "failsafeBursty")
    rows = []
    for regime in r.params("RateLimiterBench", "weft"):
        w, *peers = (r.t("RateLimiterBench", n, regime) for n in names)
        rows.append([regime, fmt(w)] + [fmt(p) for p in peers] + [ratio(w, p) for p in peers])
    table("One permit check that never waits (ns per call; lower is better):",
          ["regime", "weft `tryAcquire`", "Resilience4j `acquirePermission` (timeout 0)", "Failsafe smooth `tryAcquirePermit`",
           "Failsafe bursty", "weft / R4j", "weft / Failsafe smooth", "weft / Failsafe bursty"], rows)


def main(argv):
    go = None
    if "--go" in argv:
        i = argv.index("--go")
        if i + 1 >= len(argv):
            sys.exit(__doc__)
        go = go_medians(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    if not argv:
        sys.exit(__doc__)
    r = Results(load(argv))
    for cls, show in [("ScopeBench", scope), ("CancelBench", cancel), ("ParBench", par), ("SemaphoreBench", semaphore),
                      ("ChannelBench", lambda res: channel(res, go)), ("TimeBench", time), ("RetryBench", retry),
                      ("RateLimiterBench", rate_limiter)]:
        if r.has(cls):
            show(r)


if __name__ == "__main__":
    main(sys.argv[1:])
