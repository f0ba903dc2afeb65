#!/usr/bin/env python3
"""Turns a JMH JSON result (-rf json) of ParBench/PreviewParBench and SemaphoreBench into the
README's Markdown tables: the median of the measured iterations of every benchmark, and weft's
ratios against the peers measured in the same run. A ratio "peer / weft" above 1 means weft is
faster (lower time per operation, so higher throughput).

usage: python3 jmh/src/build/par_table.py jmh-result.json [more.json ...]
"""
import json
import statistics
import sys


def medians(paths):
    out = {}
    for path in paths:
        with open(path) as f:
            runs = json.load(f)
        for run in runs:
            name = run["benchmark"].rsplit(".", 1)[1]
            permits = run.get("params", {}).get("permits")
            samples = [x for fork in run["primaryMetric"]["rawData"] for x in fork]
            out[(name, permits)] = statistics.median(samples)
    return out


def fmt(v):
    if v is None:
        return "n/a"
    return f"{v:,.2f}" if v < 10 else f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a is not None and b is not None else "n/a"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    m = medians(sys.argv[1:])

    def get(name, permits=None):
        return m.get((name, permits))

    if get("weftTrivial") is not None or get("weftSleep") is not None:
        print("Bounded ordered map, limit 64 (median ms per operation; lower is better):")
        print()
        print("| case | weft `Par.map` | `Gatherers.mapConcurrent` | Jox `Par.parLimit` | VT executor + `Semaphore` "
              "| `parallelStream` | mapConcurrent / weft | Jox / weft | executor / weft |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for case, label in [("Trivial", "100 000 trivial items"), ("Sleep", "1 000 items, 1 ms sleep each")]:
            w = get("weft" + case)
            mc = get("mapConcurrent" + case)
            jox = get("joxParLimit" + case)
            ex = get("semaphoreExecutor" + case)
            ps = get("parallelStream" + case)
            print(f"| {label} | {fmt(w)} | {fmt(mc)} | {fmt(jox)} | {fmt(ex)} | {fmt(ps)} "
                  f"| {ratio(mc, w)} | {ratio(jox, w)} | {ratio(ex, w)} |")
        print()

    if get("weftUncontended") is not None:
        print("Semaphore acquire(1) + release(1) (median ns per pair; lower is better):")
        print()
        print("| case | weft `Semaphore` | JDK `Semaphore` (fair) | weft / JDK |")
        print("|---|---:|---:|---:|")
        rows = [("uncontended, 1 thread", "Uncontended", None)]
        rows += [(f"4 threads, {p} permit{'s' if p != '1' else ''}", "Contended", p)
                 for p in sorted({k[1] for k in m if k[0] == "weftContended"})]
        for label, case, p in rows:
            w, j = get("weft" + case, p), get("jdkFair" + case, p)
            print(f"| {label} | {fmt(w)} | {fmt(j)} | {ratio(w, j)} |")
        print()


if __name__ == "__main__":
    main()
