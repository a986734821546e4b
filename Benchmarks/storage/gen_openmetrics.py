#!/usr/bin/env python3
"""Writes the storage benchmark's OpenMetrics file: SERIES series x HOURS hours at STEP seconds.

A quarter each of counters, noisy gauges, constants and GPU-like series, deterministic (seeded), with the
value precision real exporters print. Timestamps are float seconds as OpenMetrics wants.
usage: gen_openmetrics.py OUT [series=2000] [hours=12] [step=15]
"""
import random
import sys

out = sys.argv[1]
series = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
hours = float(sys.argv[3]) if len(sys.argv) > 3 else 12
step = int(sys.argv[4]) if len(sys.argv) > 4 else 15
start = 1_700_000_000
points = int(hours * 3600 / step)
rng = random.Random(42)
quarter = series // 4

with open(out, "w") as f:
    f.write("# TYPE bench_requests counter\n")
    for i in range(quarter):
        v = rng.randint(0, 10_000)
        rate = rng.choice([0.1, 1, 5, 20, 200])
        for k in range(points):
            v += int(rng.expovariate(1 / rate) * step)
            f.write(f'bench_requests_total{{instance="host-{i % 50}",handler="h{i}"}} {v} {start + k * step}\n')
    f.write("# TYPE bench_temperature_celsius gauge\n")
    for i in range(quarter):
        base = rng.uniform(30, 70)
        for k in range(points):
            v = base + rng.gauss(0, 2)
            f.write(f'bench_temperature_celsius{{instance="host-{i % 50}",sensor="s{i}"}} {v:.2f} {start + k * step}\n')
    f.write("# TYPE bench_build_info gauge\n")
    for i in range(quarter):
        for k in range(points):
            f.write(f'bench_build_info{{instance="host-{i % 50}",version="1.{i}"}} 1 {start + k * step}\n')
    per = quarter // 4
    gpu = [("DCGM_FI_DEV_GPU_UTIL", lambda: str(rng.randint(0, 100))),
           ("DCGM_FI_DEV_POWER_USAGE", lambda: f"{rng.uniform(80, 700):.3f}"),
           ("DCGM_FI_DEV_FB_USED", lambda: str(rng.randint(1000, 80000))),
           ("DCGM_FI_DEV_GPU_TEMP", lambda: str(rng.randint(30, 85)))]
    for name, value in gpu:
        f.write(f"# TYPE {name} gauge\n")
        for i in range(per):
            for k in range(points):
                f.write(f'{name}{{gpu="{i % 8}",Hostname="node-{i // 8}"}} {value()} {start + k * step}\n')
    f.write("# EOF\n")
