#!/usr/bin/env python3
"""Turns a JMH JSON result (-rf json) of ScopeBench/PreviewScopeBench and CancelBench/PreviewCancelBench
into the README's Markdown tables: the median of the measured iterations (or shots) of every
benchmark, and weft's ratios against the peers measured in the same run.

usage: python3 jmh/src/build/bench_table.py jmh-result.json
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
        key = (name, params.get("n") or params.get("blocked"))
        samples = [x for fork in run["primaryMetric"]["rawData"] for x in fork]
        out[key] = (statistics.median(samples), run["primaryMetric"]["scoreUnit"], len(samples))
    return out


def fmt(value):
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a is not None and b is not None else "n/a"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    m = medians(sys.argv[1])

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
