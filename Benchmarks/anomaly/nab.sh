#!/bin/bash
# Builds and runs the standalone NAB tuner: Benchmarks/anomaly/nab.sh [nab-folder]
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .build/nab
swiftc -O -module-name VigilAnomalyNAB Sources/VigilAnomaly/*.swift Tests/VigilAnomalyTests/NABScorer.swift \
    Benchmarks/anomaly/NABTune/main.swift -o .build/nab/nab
.build/nab/nab "$@"
