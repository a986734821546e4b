#!/bin/bash
# Builds the cost benchmark with swiftc -O outside SwiftPM (quick) and runs it: Benchmarks/anomaly/cost.sh [series] [samples] [step_s]
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .build/nab
swiftc -O -module-name VigilAnomalyCost Sources/VigilAnomaly/*.swift Benchmarks/Sources/anomaly-bench/main.swift \
    -o .build/nab/cost
.build/nab/cost "$@"
