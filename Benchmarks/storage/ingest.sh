#!/usr/bin/env bash
# Ingest under scrape load and restart, side by side: Vigil, Prometheus and VictoriaMetrics scrape the same
# targets (JOBS jobs x SERIES changing series every 5 s). After WARMUP seconds, resident memory per active series
# and CPU seconds per million samples over MEASURE seconds; then each is stopped and restarted on its own data
# and timed until ready.
# usage: ingest.sh VIGIL_BIN [jobs=10] [series=10000] [warmup=60] [measure=120]
set -euo pipefail
VIGIL=${1:?vigil binary}
JOBS=${2:-10}
SERIES=${3:-10000}
WARMUP=${4:-60}
MEASURE=${5:-120}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/vigil-bench-ingest.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
port() { echo $((20000 + RANDOM % 20000)); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

tp=$(port)
python3 "$here/target.py" "$tp" "$JOBS" "$SERIES" &
sleep 2
targets=$(for j in $(seq 0 $((JOBS - 1))); do printf '"127.0.0.1:%d",' $((tp + j)); done | sed 's/,$//')
cat >"$work/scrape.yml" <<YML
global: {scrape_interval: 5s, scrape_timeout: 5s}
scrape_configs:
  - job_name: bench
    static_configs: [{targets: [$targets]}]
YML
cp "$work/scrape.yml" "$work/vigil.yml"
printf 'collectors:\n  host: {enabled: false}\n  gpu: {enabled: false}\nrule_packs: []\n' >>"$work/vigil.yml"

vp=$(port); pp=$(port); mp=$(port)
start_vigil() { "$VIGIL" run --config "$work/vigil.yml" --data "$work/vigil" --listen 127.0.0.1:$vp \
    >>"$work/vigil.log" 2>&1 & echo $!; }
start_prom() { prometheus --config.file="$work/scrape.yml" --storage.tsdb.path="$work/prom" \
    --web.listen-address=127.0.0.1:$pp >>"$work/prom.log" 2>&1 & echo $!; }
start_vm() { victoria-metrics -storageDataPath="$work/vm" -httpListenAddr=127.0.0.1:$mp \
    -promscrape.config="$work/scrape.yml" >>"$work/vm.log" 2>&1 & echo $!; }
v=$(start_vigil); p=$(start_prom); m=$(start_vm)
sleep "$WARMUP"
v0=$(cpu_ticks $v); p0=$(cpu_ticks $p); m0=$(cpu_ticks $m)
sleep "$MEASURE"
v1=$(cpu_ticks $v); p1=$(cpu_ticks $p); m1=$(cpu_ticks $m)
vr=$(rss_kb $v); pr=$(rss_kb $p); mr=$(rss_kb $m)
active=$((JOBS * SERIES))
samples=$(awk -v a=$active -v s=$MEASURE 'BEGIN { print a * s / 5 }')

ready_time() { # PORT PATH: seconds until PATH answers 200
    local t0; t0=$(date +%s.%N)
    for _ in $(seq 1 6000); do
        curl -sf -o /dev/null "http://127.0.0.1:$1$2" && break
        sleep 0.05
    done
    awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}
kill -TERM $v $p $m; wait $v $p $m 2>/dev/null || true
v=$(start_vigil); vt=$(ready_time $vp /-/ready)
p=$(start_prom); pt=$(ready_time $pp /-/ready)
m=$(start_vm); mt=$(ready_time $mp /health)

awk -v hz=$hz -v a=$active -v s=$samples -v vr=$vr -v pr=$pr -v mr=$mr \
    -v vc=$((v1 - v0)) -v pc=$((p1 - p0)) -v mc=$((m1 - m0)) -v vt=$vt -v pt=$pt -v mt=$mt 'BEGIN {
    printf "active series %d, samples in the measured window %d\n", a, s
    printf "%-16s %12s %18s %14s\n", "", "RSS/series", "CPU-s/M samples", "restart (s)"
    printf "%-16s %10.0f B %18.2f %14s\n", "vigil", vr * 1024 / a, vc / hz / (s / 1e6), vt
    printf "%-16s %10.0f B %18.2f %14s\n", "prometheus", pr * 1024 / a, pc / hz / (s / 1e6), pt
    printf "%-16s %10.0f B %18.2f %14s\n", "victoriametrics", mr * 1024 / a, mc / hz / (s / 1e6), mt
    printf "memory vigil/victoria %.2f (pass <= 1)   cpu vigil/prometheus %.2f (pass <= 1)\n",
        vr / mr, (vc / hz) / (pc / hz)
}'
