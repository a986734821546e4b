#!/bin/bash
# Builds the cost benchmark with optimisation and runs it: Benchmarks/anomaly/cost.sh [series] [samples] [step_s]
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .build/nab
swiftc -O -module-name VigilAnomalyCost Sources/VigilAnomaly/*.swift Benchmarks/anomaly/CostBench/main.swift \
    -o .build/nab/cost
.build/nab/cost "$@"
