#!/usr/bin/env bash
# Bytes per sample of one generated OpenMetrics file loaded into Vigil (`vigil import`), Prometheus
# (`promtool tsdb create-blocks-from openmetrics`, then a run of Prometheus so it compacts) and VictoriaMetrics
# (`/api/v1/import/prometheus`, millisecond timestamps). Prints one line per system and the ratios.
# usage: disk.sh VIGIL_BIN [series=2000] [hours=12]
set -euo pipefail
VIGIL=${1:?vigil binary}
SERIES=${2:-2000}
HOURS=${3:-12}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/vigil-bench-disk.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
file=$work/input.om
python3 "$here/gen_openmetrics.py" "$file" "$SERIES" "$HOURS" 15
samples=$(grep -vc '^#' "$file")

"$VIGIL" import "$file" --data "$work/vigil" >/dev/null
vigil_bytes=$(du -sb "$work/vigil" | cut -f1)

promtool tsdb create-blocks-from openmetrics "$file" "$work/prom" >/dev/null
prom_raw=$(du -sb "$work/prom" | cut -f1)
port=$((20000 + RANDOM % 20000))
printf 'global: {scrape_interval: 1h}\n' > "$work/prom.yml"
prometheus --config.file="$work/prom.yml" --storage.tsdb.path="$work/prom" --web.listen-address=127.0.0.1:$port \
    --storage.tsdb.retention.time=100y >"$work/prom.log" 2>&1 &
pp=$!
for _ in $(seq 1 120); do
    sleep 1
    n=$(find "$work/prom" -maxdepth 1 -type d -name '01*' | wc -l)
    [ "$n" -le 1 ] && break
done
kill $pp; wait $pp 2>/dev/null || true
rm -rf "$work/prom/wal" "$work/prom/chunks_head" "$work/prom/lock" "$work/prom/queries.active"
prom_bytes=$(du -sb "$work/prom" | cut -f1)

vport=$((20000 + RANDOM % 20000))
victoria-metrics -storageDataPath="$work/vm" -httpListenAddr=127.0.0.1:$vport -retentionPeriod=100y \
    >"$work/vm.log" 2>&1 &
vp=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$vport/health" >/dev/null && break; sleep 0.2; done
awk '!/^#/ { $NF = $NF * 1000; print }' "$file" | split -l 500000 - "$work/vm-part."
for part in "$work"/vm-part.*; do
    curl -sf --data-binary @"$part" "http://127.0.0.1:$vport/api/v1/import/prometheus"
done
rm -f "$work"/vm-part.*
curl -sf "http://127.0.0.1:$vport/internal/force_flush" >/dev/null
sleep 15
curl -sf "http://127.0.0.1:$vport/internal/force_merge" >/dev/null || true
sleep 15
kill $vp; wait $vp 2>/dev/null || true
vm_bytes=$(du -sb "$work/vm/data" | cut -f1)

awk -v s="$samples" -v v="$vigil_bytes" -v p="$prom_bytes" -v pr="$prom_raw" -v m="$vm_bytes" 'BEGIN {
    printf "samples %d\n", s
    printf "vigil      %10d bytes  %.3f bytes/sample\n", v, v / s
    printf "prometheus %10d bytes  %.3f bytes/sample (%.3f before compaction)\n", p, p / s, pr / s
    printf "victoria   %10d bytes  %.3f bytes/sample\n", m, m / s
    printf "vigil/prometheus %.3f (pass <= 0.5)   vigil/victoria %.3f (goal <= 1)\n", v / p, v / m
}'
