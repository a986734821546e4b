#!/bin/sh
# Runs the benchmarks of a release build of this package; results go to stdout and Benchmarks/results/.
# Exposition parsing (issue 2): pass 100 MB/s, goal 300 MB/s on one core; MB/s counts the parsing thread's CPU time.
set -eu
cd "$(dirname "$0")"
mkdir -p results
BIN=.build/release/vigil-bench
CORPUS=../../shared/corpus/exposition/textparse
files="data/node_exporter.prom"
[ -f "$CORPUS/alltypes.237mfs.prom.txt" ] && files="$files $CORPUS/alltypes.237mfs.prom.txt"
"$BIN" exposition $files | tee results/exposition.txt
