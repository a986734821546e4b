#!/bin/sh
# Runs the benchmarks of a release build of this package; results go to stdout and Benchmarks/results/.
set -eu
cd "$(dirname "$0")"
mkdir -p results
BIN=.build/release/vigil-bench
CORPUS=../../shared/corpus/exposition/textparse
files="data/node_exporter.prom"
[ -f "$CORPUS/alltypes.237mfs.prom.txt" ] && files="$files $CORPUS/alltypes.237mfs.prom.txt"
"$BIN" exposition --min-mbps 100 $files | tee results/exposition.txt
