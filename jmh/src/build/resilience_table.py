#!/usr/bin/env python3
"""Turns a JMH JSON result (-rf json) of RetryBench and RateLimiterBench into the README's
Markdown tables: the median of the measured iterations of every benchmark, the retry overheads
(time minus the direct call) and weft's ratios against the peers measured in the same run.

usage: python3 jmh/src/build/resilience_table.py jmh-result.json
"""
import json
import statistics
import sys


def medians(path):
    with open(path) as f:
        runs = json.load(f)
    out = {}
    for run in runs:
        cls, name = run["benchmark"].rsplit(".", 2)[-2:]
        key = (cls, name, run.get("params", {}).get("regime"))
        samples = [x for fork in run["primaryMetric"]["rawData"] for x in fork]
        out[key] = statistics.median(samples)
    return out


def fmt(v):
    return "n/a" if v is None else (f"{v:,.2f}" if v < 10 else f"{v:,.1f}")


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return "n/a"
    r = a / b
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    m = medians(sys.argv[1])
    g = lambda cls, name, regime=None: m.get((cls, name, regime))

    direct = g("RetryBench", "direct")
    if direct is not None:
        print("A call that succeeds at once, through a retry (median ns per call; overhead = time - direct):")
        print()
        print("| | time | overhead | weft overhead / peer overhead |")
        print("|---|---:|---:|---:|")
        w = g("RetryBench", "weft")
        for name, label in [("direct", "direct call (baseline)"), ("weft", "weft `Retry`"),
                            ("failsafe", "Failsafe `RetryPolicy`"), ("resilience4j", "Resilience4j `Retry`")]:
            t = g("RetryBench", name)
            over = None if t is None else t - direct
            vs = "" if name in ("direct", "weft") else ratio(None if w is None else max(w - direct, 0), over)
            print(f"| {label} | {fmt(t)} | {'' if name == 'direct' else fmt(over)} | {vs} |")
        print()

    regimes = sorted({r for (cls, _, r) in m if cls == "RateLimiterBench"})
    if regimes:
        print("One permit check that never waits (median ns per call):")
        print()
        print("| regime | weft `tryAcquire` | Resilience4j `acquirePermission` | Failsafe smooth | Failsafe bursty "
              "| weft / R4j | weft / Failsafe smooth | weft / Failsafe bursty |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in regimes:
            w, r4j, fs, fb = (g("RateLimiterBench", n, r) for n in ("weft", "resilience4j", "failsafeSmooth", "failsafeBursty"))
            print(f"| {r} | {fmt(w)} | {fmt(r4j)} | {fmt(fs)} | {fmt(fb)} | {ratio(w, r4j)} | {ratio(w, fs)} | {ratio(w, fb)} |")
        print()


if __name__ == "__main__":
    main()
