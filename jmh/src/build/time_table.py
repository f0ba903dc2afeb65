#!/usr/bin/env python3
"""Turns a JMH JSON result (-rf json) of TimeBench into the README's Markdown table: the median of
the measured iterations of every benchmark, the allocation per operation when the run had -prof gc,
and weft's ratio against the JDK peer measured in the same run.

usage: python3 jmh/src/build/time_table.py time-bench.json [time-bench-gc.json]
"""
import json
import statistics
import sys

ROWS = [
    ("1,000,000 timers scheduled, then all cancelled (per timer)", "bulkWeft", "bulkStpe"),
    ("one timer scheduled and cancelled at once", "churnWeft", "churnStpe"),
    ("the same through `TimeSource.system()`", "churnWeftTimeSource", "churnStpe"),
    ("`Debouncer.submit` in a burst, 1 thread", "debounceSubmitWeft", "debounceSubmitHandWritten"),
    ("`Debouncer.submit` in a burst, 2 threads", "debounceSubmitWeftContended", "debounceSubmitHandWrittenContended"),
]


def load(path):
    with open(path) as f:
        runs = json.load(f)
    times, alloc = {}, {}
    for run in runs:
        name = run["benchmark"].rsplit(".", 1)[1]
        samples = [x for fork in run["primaryMetric"]["rawData"] for x in fork]
        times[name] = statistics.median(samples)
        norm = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        if norm:
            alloc[name] = statistics.median([x for fork in norm["rawData"] for x in fork])
    return times, alloc


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    times, alloc = load(sys.argv[1])
    if len(sys.argv) == 3:
        alloc.update(load(sys.argv[2])[1])

    def b(name):
        return f"{alloc[name]:.0f} B" if name in alloc else "n/a"

    print("| operation | weft (ns) | JDK peer (ns) | weft / peer | weft alloc | peer alloc |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, weft, peer in ROWS:
        w, p = times.get(weft), times.get(peer)
        if w is None or p is None:
            continue
        print(f"| {label} | {w:,.1f} | {p:,.1f} | {w / p:.2f}× | {b(weft)} | {b(peer)} |")


if __name__ == "__main__":
    main()
