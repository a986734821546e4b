#!/usr/bin/env bash
# Resident memory after DURATION seconds of `vigil run` with the embedded default, beside the equivalent
# Prometheus setup (Prometheus scraping node_exporter and itself, same 15s interval) in the same run.
# usage: rss.sh VIGIL_BIN [duration_seconds=600]
set -euo pipefail
VIGIL=${1:?vigil binary}
DURATION=${2:-600}
work=$(mktemp -d /tmp/vigil-bench-rss.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
port() { echo $((20000 + RANDOM % 20000)); }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

vp=$(port); np=$(port); pp=$(port)
"$VIGIL" run --data "$work/vigil" --listen 127.0.0.1:$vp >"$work/vigil.log" 2>&1 &
vigil=$!
prometheus-node-exporter --web.listen-address=127.0.0.1:$np >"$work/ne.log" 2>&1 &
ne=$!
cat >"$work/prom.yml" <<YML
global: {scrape_interval: 15s, evaluation_interval: 15s}
scrape_configs:
  - job_name: host
    static_configs: [{targets: ["127.0.0.1:$np"]}]
  - job_name: prometheus
    static_configs: [{targets: ["127.0.0.1:$pp"]}]
YML
prometheus --config.file="$work/prom.yml" --storage.tsdb.path="$work/prom" --web.listen-address=127.0.0.1:$pp \
    >"$work/prom.log" 2>&1 &
prom=$!
sleep "$DURATION"
v=$(rss_kb $vigil); vh=$(hwm_kb $vigil)
p=$(rss_kb $prom); n=$(rss_kb $ne)
series=$(curl -s "http://127.0.0.1:$vp/api/v1/query?query=vigil_storage_series" | sed -n 's/.*"value":\[[^,]*,"\([0-9]*\)".*/\1/p')
awk -v v="$v" -v vh="$vh" -v p="$p" -v n="$n" -v d="$DURATION" -v s="$series" 'BEGIN {
    printf "after %ds: vigil RSS %.1f MB (peak %.1f MB, %s series); prometheus %.1f MB + node_exporter %.1f MB = %.1f MB\n",
        d, v / 1024, vh / 1024, s, p / 1024, n / 1024, (p + n) / 1024
    printf "vigil / (prometheus + node_exporter) = %.2f; pass: vigil under 64 MB, goal under 40 MB\n", v / (p + n)
}'
