#!/usr/bin/env python3
"""Turns a JMH JSON result (-rf json) of ScopeBench/PreviewScopeBench and CancelBench/PreviewCancelBench
into the README's Markdown tables: the median of the measured iterations (or shots) of every
benchmark, and weft's ratios against the peers measured in the same run.

ChannelBench results get a table of their own; pass the output of the Go twin
(`cd jmh/go && go test -bench . ...`) as a second argument to add its column.

usage: python3 jmh/src/build/bench_table.py jmh-result.json [go-bench-output.txt]
"""
import json
import statistics
import sys


def medians(path):
    with open(path) as f:
        runs = json.load(f)
    out = {}
    for run in runs:
        name = run["benchmark"].rsplit(".", 1)[1]
        params = run.get("params", {})
        key = (name, params.get("n") or params.get("blocked") or params.get("pairs"))
        samples = [x for fork in run["primaryMetric"]["rawData"] for x in fork]
        out[key] = (statistics.median(samples), run["primaryMetric"]["scoreUnit"], len(samples))
    return out


def fmt(value):
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a is not None and b is not None else "n/a"


def go_medians(path):
    """Median ns/op of every Go benchmark in a `go test -bench` output."""
    runs = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[0].startswith("Benchmark") and parts[3] == "ns/op":
                runs.setdefault(parts[0].split("-")[0], []).append(float(parts[2]))
    return {name: statistics.median(v) for name, v in runs.items()}


def channel_table(m, go):
    """The ChannelBench table: one row per shape, weft and its peers, and the ratios to weft."""
    rows = [
        ("buffered(16), 1 pair", "1", "weftBuffered", "joxBuffered", [("arrayBlockingQueue", "ABQ(16)"),
         ("linkedTransferQueue", "LTQ")], "BenchmarkBuffered1Pair"),
        ("buffered(16), 10,000 pairs", "10000", "weftBuffered", "joxBuffered", [("arrayBlockingQueue", "ABQ(16)"),
         ("linkedTransferQueue", "LTQ")], "BenchmarkBuffered10000Pairs"),
        ("rendezvous", None, "weftRendezvous", "joxRendezvous", [("synchronousQueue", "SynchronousQueue"),
         ("exchanger", "Exchanger"), ("linkedTransferQueueTransfer", "LTQ.transfer")], "BenchmarkRendezvous"),
        ("select over 2 channels", None, "weftSelect", "joxSelect", [], "BenchmarkSelect2"),
    ]
    if not any(m.get((w, p)) for _, p, w, _, _, _ in rows):
        return
    print("One element from a producer to a consumer, both virtual threads (median ns per element; lower is better):")
    print()
    print("| row | weft | Jox 1.0.1 | Jox / weft | JDK peers (ratio to weft) |" + (" Go |" if go else ""))
    print("|---|---:|---:|---:|---|" + ("---:|" if go else ""))
    for label, param, w, j, peers, gname in rows:
        wv = m.get((w, param), (None,))[0]
        jv = m.get((j, param), (None,))[0]
        jdk = ", ".join(f"{lbl} {fmt(m[(b, param)][0])} ({ratio(m[(b, param)][0], wv)})"
                        for b, lbl in peers if (b, param) in m) or "none"
        cells = f"| {label} | {fmt(wv) if wv else 'n/a'} | {fmt(jv) if jv else 'n/a'} | {ratio(jv, wv)} | {jdk} |"
        if go:
            cells += f" {fmt(go[gname]) if gname in go else 'n/a'} |"
        print(cells)
    print()


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    m = medians(sys.argv[1])
    channel_table(m, go_medians(sys.argv[2]) if len(sys.argv) == 3 else None)

    def get(name, param):
        v = m.get((name, param))
        return v[0] if v else None

    peers = [("weft", "weft"), ("jdkStructuredTaskScope", "JDK STS"), ("joxSupervised", "Jox supervised"),
             ("rawVirtual", "raw virtual threads"), ("completableFuture", "CompletableFuture")]
    ns = sorted({p for (name, p) in m if name == "weft"}, key=int)
    if ns:
        print("Open, fork n trivial tasks, join, read the results, close (median µs per operation; lower is better):")
        print()
        print("| n | " + " | ".join(label for _, label in peers) + " | weft / JDK STS | Jox / weft | weft / raw |")
        print("|---:|" + "---:|" * (len(peers) + 3))
        for n in ns:
            cells = [fmt(get(b, n)) if get(b, n) is not None else "n/a" for b, _ in peers]
            w = get("weft", n)
            print(f"| {int(n):,} | " + " | ".join(cells)
                  + f" | {ratio(w, get('jdkStructuredTaskScope', n))} | {ratio(get('joxSupervised', n), w)}"
                  + f" | {ratio(w, get('rawVirtual', n))} |")
        print()
    blocked = sorted({p for (name, p) in m if name.startswith("weftFail")}, key=int)
    for b in blocked:
        print(f"Cancellation latency, {int(b):,} blocked tasks, one fails (median ms of single shots; lower is better):")
        print()
        print("| until | weft | JDK STS | weft / JDK STS |")
        print("|---|---:|---:|---:|")
        for what, w, j in [("`close()` returns (every thread ended)", "weftFailToClose", "jdkStructuredTaskScopeFailToClose"),
                           ("`join()` throws", "weftFailToJoin", "jdkStructuredTaskScopeFailToJoin")]:
            wv, jv = get(w, b), get(j, b)
            print(f"| {what} | {fmt(wv) if wv else 'n/a'} | {fmt(jv) if jv else 'n/a'} | {ratio(wv, jv)} |")
        print()


if __name__ == "__main__":
    main()
