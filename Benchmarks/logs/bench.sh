#!/bin/sh
# Template-miner throughput beside drain3 in the same run (issue 8: pass 10x drain3, goal 1M lines/s).
# Input: the Content column of ../shared/corpus/loghub2k (22,000 lines), repeated to LINES (default 10M) for
# Vigil and to DRAIN3_LINES (default 300k; drain3 is ~100x slower) for drain3, one core each.
# Accuracy: `drain3_peer.py score` for the peer; `swift test --filter LoghubAccuracy` for Vigil.
set -eu
cd "$(dirname "$0")"
LINES=${LINES:-10000000}
DRAIN3_LINES=${DRAIN3_LINES:-300000}
mkdir -p ../results
[ -x .venv/bin/python ] || { python3 -m venv .venv && .venv/bin/pip install -q drain3==0.9.11; }
PY=.venv/bin/python
$PY drain3_peer.py content ../results/loghub-content.txt
swiftc -O -wmo -module-name VigilLogsBench -o ../results/miner-bench \
    ../../Sources/VigilLogs/Mining/*.swift ../../Sources/VigilLogs/LogsError.swift MinerBench/main.swift
echo "== template mining accuracy (drain3 peer; Vigil's own in swift test --filter LoghubAccuracy)"
$PY drain3_peer.py score | tail -1
echo "== template mining throughput, one core"
taskset -c 0 ../results/miner-bench ../results/loghub-content.txt "$LINES" | tee ../results/logs-throughput.txt
taskset -c 0 $PY drain3_peer.py throughput ../results/loghub-content.txt "$DRAIN3_LINES" | tee -a ../results/logs-throughput.txt
awk '/^vigil/ { for (i = 1; i <= NF; i++) if ($i == "lines/s,") v = $(i - 1) }
     /^drain3/ { for (i = 1; i <= NF; i++) if ($i == "lines/s,") d = $(i - 1) }
     END { if (d > 0) printf "vigil / drain3 = %.1fx (pass 10x)\n", v / d }' ../results/logs-throughput.txt
