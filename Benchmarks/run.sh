#!/bin/sh
# Runs every benchmark on release builds, each beside its peer in the same run; results go to stdout and
# Benchmarks/results/. BENCH_RSS_SECONDS (default 600) sets how long the resident-memory run lasts.
set -eu
cd "$(dirname "$0")"
mkdir -p results
BIN=.build/release/vigil-bench
VIGIL=../.build/release/vigil
CORPUS=../../shared/corpus/exposition/textparse

echo "== exposition parsing (issue 2: pass 100 MB/s, goal 300 MB/s; MB/s per CPU second of the parsing thread)"
files="data/node_exporter.prom"
[ -f "$CORPUS/alltypes.237mfs.prom.txt" ] && files="$files $CORPUS/alltypes.237mfs.prom.txt"
"$BIN" exposition $files | tee results/exposition.txt

echo "== storage bytes per sample (issue 3: pass <= 0.5 x Prometheus, goal <= VictoriaMetrics)"
storage/disk.sh "$VIGIL" 2000 12 | tee results/storage-disk.txt

echo "== resident memory of vigil run with the embedded default (issue 2: pass < 64 MB, goal < 40 MB)"
./rss.sh "$VIGIL" "${BENCH_RSS_SECONDS:-600}" | tee results/rss.txt

echo "== anomaly detection cost (issue 7: pass <= 2 us/sample and <= 4 KiB/series on 100k series, goal 1 us, 1 KiB)"
.build/release/anomaly-bench 100000 200 3600 | tee results/anomaly-cost.txt

echo "== ingest under scrape load and restart (issue 3: memory <= VictoriaMetrics, CPU <= Prometheus, restart not slower)"
storage/ingest.sh "$VIGIL" 10 10000 60 120 | tee results/storage-ingest.txt

echo "== log template mining beside drain3 (issue 8: pass 10x drain3, goal 1M lines/s)"
logs/bench.sh
