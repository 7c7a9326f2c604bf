#!/usr/bin/env bash
# Startup time of `toezicht serve` on an already migrated SQLite database: from process start
# until /readyz answers 200 (the database is connected, migrations checked, reference data
# loaded, the listener accepting). Runs the release binary RUNS times and prints each figure,
# the median and the maximum.
#   usage: benches/startup.sh [RUNS]      (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
cargo build --release --quiet
bin=target/release/toezicht
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/startup.db?mode=rwc" RUST_LOG=warn
"$bin" migrate >/dev/null
port=18181
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  BIND_ADDR="127.0.0.1:$port" "$bin" serve >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.005; done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "runs: $runs  each (ms): ${times[*]}"
echo "median: ${sorted[$(( runs / 2 ))]} ms  max: ${sorted[$(( runs - 1 ))]} ms"
