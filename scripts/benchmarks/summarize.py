#!/usr/bin/env python3
"""Summarizes the raw results of `benchmark pallet --json-file`: for every benchmark and every
component value measured, the median, the 95th percentile (nearest rank) and the maximum
extrinsic time (nanoseconds), as JSON on stdout. The runtime's tests check that the declared
weights cover the 95th percentile of every point (scripts/benchmarks/cover.py makes them)."""
import math
import json
import statistics
import sys
from collections import defaultdict

raw = json.load(open(sys.argv[1]))
out = []
for bench in raw:
    points = defaultdict(list)
    for r in bench["time_results"]:
        key = tuple((name, value) for name, value in r["components"])
        points[key].append(r["extrinsic_time"])
    for key, times in sorted(points.items()):
        out.append({
            "benchmark": bench["benchmark"],
            "components": {name: value for name, value in key},
            "median_ns": int(statistics.median(times)),
            "p95_ns": sorted(times)[math.ceil(0.95 * len(times)) - 1],
            "max_ns": max(times),
            "samples": len(times),
        })
print("[")
print(",\n".join(json.dumps(entry, sort_keys=True) for entry in out))
print("]")
