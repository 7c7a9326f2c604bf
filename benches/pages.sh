#!/usr/bin/env bash
# Response time of the inspector's busiest pages on the demo data (release build, SQLite): the
# agenda's week and list, a visit with its comparison, and the assessment form. Signs in as the
# demo inspector of Twente, requests each page RUNS times and prints the median and maximum.
#   usage: benches/pages.sh [RUNS]      (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"
cargo build --release --quiet
bin=target/release/toezicht
work=$(mktemp -d)
port=18383
base="http://127.0.0.1:$port"
DATABASE_URL="sqlite://$work/pages.db?mode=rwc" BIND_ADDR="127.0.0.1:$port" RUST_LOG=warn \
  MAIL_DIR="$work/mail" "$bin" serve --demo >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
until curl -fs -o /dev/null "$base/readyz"; do sleep 0.01; done
jar="$work/cookies"
csrf=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | cut -d'"' -f4)
curl -fs -b "$jar" -c "$jar" -o /dev/null -d "csrf_token=$csrf" \
  --data-urlencode "email=toezichthouder.twente@toezicht.example" --data-urlencode "password=demo-toezicht-2026" "$base/login"
visit=$(curl -fs -b "$jar" "$base/bezoeken?view=list&period=past&inspector_id=all" | grep -o '/bezoeken/[0-9a-f-]\{36\}' | head -1)
measure() {
  local path=$1 times=()
  for _ in $(seq 1 "$runs"); do
    times+=($(curl -fs -b "$jar" -o /dev/null -w '%{time_total}' "$base$path"))
  done
  local sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf '%-50s median %4.1f ms  max %5.1f ms\n' "$path" \
    "$(echo "${sorted[$(( runs / 2 ))]} * 1000" | bc)" "$(echo "${sorted[$(( runs - 1 ))]} * 1000" | bc)"
}
measure "/bezoeken"
measure "/bezoeken?view=list&inspector_id=all"
measure "/bezoeken?view=list&period=past&inspector_id=all"
measure "$visit"
measure "$visit/beoordeling"
