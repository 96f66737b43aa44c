#!/usr/bin/env bash
# `make bench`: GET /healthz with keep-alive, corphub next to the bare Beast baseline, in the
# same run and the same conditions (2 I/O threads each, wrk with 1 thread x 64 connections,
# ROUNDS rounds of SECONDS seconds, alternating). Writes bench/results/http-healthz.md.
# Figures are reported, never asserted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
rounds=${ROUNDS:-2}
seconds=${SECONDS_PER_ROUND:-10}
conns=${CONNECTIONS:-64}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps.sh test)"; exit 1; }

wait_port() {
  for _ in $(seq 200); do [ -s "$1" ] && { cat "$1"; return; }; sleep 0.05; done
  echo "bench: server did not start" >&2
  exit 1
}

CORPHUB_LOG_ACCESS_LOG=false CORPHUB_SERVER_IO_THREADS=2 \
  "$build/corphub" serve --listen 127.0.0.1:0 --data "$work/data" --port-file "$work/corphub.port" \
  >"$work/corphub.out" 2>"$work/corphub.err" &
pids+=($!)
"$build/beast_baseline" "$work/baseline.port" 2 >"$work/baseline.out" 2>&1 &
pids+=($!)
corphub_port=$(wait_port "$work/corphub.port")
baseline_port=$(wait_port "$work/baseline.port")

# One wrk run: prints "requests_per_second p50_ms p99_ms".
measure() {
  wrk -t1 -c"$conns" -d"${seconds}s" --latency "http://127.0.0.1:$1/healthz" >"$work/wrk.txt"
  awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    END { printf "%.0f %.3f %.3f\n", rps, ms(p50), ms(p99) }' "$work/wrk.txt"
}

wrk -t1 -c"$conns" -d2s "http://127.0.0.1:$corphub_port/healthz" >/dev/null  # warm-up
wrk -t1 -c"$conns" -d2s "http://127.0.0.1:$baseline_port/healthz" >/dev/null
c_sum=0; b_sum=0; rows=""
for r in $(seq "$rounds"); do
  read -r c_rps c_p50 c_p99 < <(measure "$corphub_port")
  read -r b_rps b_p50 b_p99 < <(measure "$baseline_port")
  c_sum=$((c_sum + c_rps)); b_sum=$((b_sum + b_rps))
  rows+="| $r | corphub | $c_rps | $c_p50 | $c_p99 |"$'\n'"| $r | beast baseline | $b_rps | $b_p50 | $b_p99 |"$'\n'
done
c_avg=$((c_sum / rounds)); b_avg=$((b_sum / rounds))
ratio=$(awk -v c="$c_avg" -v b="$b_avg" 'BEGIN { printf "%.2f", c / b }')

mkdir -p "$root/bench/results"
report="$root/bench/results/http-healthz.md"
{
  echo "# GET /healthz, keep-alive"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores; both servers with 2 I/O threads; wrk 1 thread x $conns connections,"
  echo "$rounds rounds x ${seconds}s, alternating, on the same machine as the servers. corphub on SQLite,"
  echo "access log off (its /healthz pings the database at most once a second)."
  echo
  echo "| round | server | requests/s | p50 ms | p99 ms |"
  echo "|---|---|---|---|---|"
  printf "%s" "$rows"
  echo
  echo "Mean: corphub $c_avg req/s, baseline $b_avg req/s, **ratio $ratio**."
} >"$report"
cat "$report"
