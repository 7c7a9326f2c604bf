#!/usr/bin/env bash
# The national benchmark (issue 8): the release server on the national data set (25 regions,
# 20,000 providers, 200,000 visits, 3 M ratings, 150,000 reports, 1 M signals), loaded by wrk
# over loopback with 32 connections, on SQLite and on PostgreSQL.
#
#   usage: benches/national.sh [sqlite|postgres|both]     (default both)
#
# Per database it prints start-to-ready, then per scenario the throughput, p50/p95/p99 and
# failures, the server's peak memory (VmHWM), the raw insert baseline and the ratio of signal
# intake to it; and it writes the same as a Markdown table to target/bench/national-<db>.md.
# The data sets are generated once (seed 1) and kept: target/bench/national.db and the
# PostgreSQL database toezicht_national (PG_ADMIN_URL, default the local server). The signals a
# run files are deleted again at its end, so every run measures the same data.
#
# Environment: BENCH_SECONDS (default 15 per scenario), BENCH_CONNECTIONS (32), BENCH_PG_URL (the
# benchmark database's URL for the server and pgbench, holding the data set already; default the
# local server's Unix socket).
# Needs: wrk (Debian package `wrk`), pgbench (`postgresql-contrib` on Debian, with PostgreSQL),
# python3 (SQLite baseline), curl.
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-both}"
secs="${BENCH_SECONDS:-15}"
conns="${BENCH_CONNECTIONS:-32}"
pg_admin="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_url="${pg_admin%/*}/toezicht_national"
# The server (and the pgbench baseline) reach the local PostgreSQL over its Unix socket, as a
# server on the database's own machine would be set up: on loopback TCP every statement went
# through TLS as well (sqlx's sslmode=prefer, and Debian's server has ssl=on), which cost the
# provider search 7% of its requests a second (README "Performance"). BENCH_PG_URL overrides it.
pg_socket=/var/run/postgresql
if [ -n "${BENCH_PG_URL:-}" ]; then
  pg_url=$BENCH_PG_URL
elif [ -z "${PG_ADMIN_URL:-}" ] && [ -S "$pg_socket/.s.PGSQL.5432" ]; then
  pg_url="postgres://postgres@localhost/toezicht_national?host=$pg_socket"
fi
out=target/bench
mkdir -p "$out"
for tool in wrk pgbench python3 curl; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (see the header of $0)"; exit 1; }
done
cargo build --release --quiet
bin=$PWD/target/release/toezicht
export BENCH_LUA=$PWD/benches/wrk
port=18480
base="http://127.0.0.1:$port"
region=GG1106                      # GGD Twente: 856 providers, 42,000 signals in the data set
inspector="toezichthouder1.gg1106@ggd.example"
password="demo-toezicht-2026"
marker="Benchmark: de begeleiding kwam deze week drie keer niet opdagen."   # as in wrk/intake.lua
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; true' EXIT

ensure_data() { # db url
  local db=$1 url=$2 have=0
  if [ "$db" = sqlite ]; then
    [ -f "$out/national.db" ] && have=$(python3 -c "import sqlite3;print(sqlite3.connect('$out/national.db').execute('select count(*) from providers').fetchone()[0])" 2>/dev/null || echo 0)
  else
    # The database is dropped and made anew only when the server says it lacks the data: a
    # connection that fails (the socket refusing this user, say) must not cost the data set.
    local exists
    exists=$(psql "$pg_admin" -tAc "SELECT 1 FROM pg_database WHERE datname = 'toezicht_national'") ||
      { echo "cannot reach PostgreSQL at $pg_admin"; exit 1; }
    if [ "$exists" = 1 ]; then
      have=$(psql "$url" -tAc "SELECT count(*) FROM providers" 2>/dev/null) || have=0
      psql "$url" -tAc "SELECT 1" >/dev/null ||
        { echo "cannot connect to the benchmark database at $url"; exit 1; }
    fi
    if [ "${have:-0}" -lt 20000 ] && [ -n "${BENCH_PG_URL:-}" ]; then
      echo "BENCH_PG_URL has no national data set; generate it there first (toezicht demo-data --scale national)"
      exit 1
    fi
  fi
  if [ "${have:-0}" -lt 20000 ]; then
    echo "== generating the national data set on $db (a few minutes) =="
    if [ "$db" = sqlite ]; then rm -f "$out"/national.db*; else
      psql "$pg_admin" -qc "DROP DATABASE IF EXISTS toezicht_national" -c "CREATE DATABASE toezicht_national"
    fi
    DATABASE_URL="$url" RUST_LOG=warn "$bin" demo-data --scale national | tail -3
  fi
}

start_server() { # url -> sets $server and $ready (ms from start until /readyz answers)
  local url=$1 t0 t1
  if curl -fs -o /dev/null "$base/healthz"; then
    echo "port $port is taken by another server; stop it first"; exit 1
  fi
  t0=$(date +%s%N)
  DATABASE_URL="$url" BIND_ADDR="127.0.0.1:$port" RUST_LOG=warn MAIL_DIR="$out/mail" \
    TRUSTED_PROXY=127.0.0.1 "$bin" serve >"$out/server.log" 2>&1 &
  server=$!
  until curl -fs -o /dev/null "$base/readyz"; do
    kill -0 "$server" 2>/dev/null || { cat "$out/server.log"; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  ready=$(( (t1 - t0) / 1000000 ))
}

api() { curl -fs -H "Authorization: Bearer $token" "$base$1"; }
ids() { python3 -c "import sys,json;d=json.load(sys.stdin);[print(x['id']) for x in d.get('items',d)]"; }

# One scenario: prints its Markdown row and keeps the RESULT line.
scenario() { # name script path [lines-file]
  local name=$1 script=$2 path=$3 lines=${4:-} result
  # A short warm-up (not counted) so every scenario starts with warm caches and pools.
  BENCH_TOKEN=$token BENCH_PATH=$path BENCH_LINES=$lines \
    wrk -t2 -c"$conns" -d3s -s "benches/wrk/$script" "$base" >/dev/null
  result=$(BENCH_TOKEN=$token BENCH_PATH=$path BENCH_LINES=$lines \
    wrk -t2 -c"$conns" -d"${secs}s" --timeout 5s -s "benches/wrk/$script" "$base" | grep '^RESULT')
  echo "$name $result" >>"$results"
  local rps p50 p95 p99 failed
  rps=$(sed 's/.* rps=\([^ ]*\).*/\1/' <<<"$result"); p50=$(sed 's/.* p50=\([^ ]*\).*/\1/' <<<"$result")
  p95=$(sed 's/.* p95=\([^ ]*\).*/\1/' <<<"$result"); p99=$(sed 's/.* p99=\([^ ]*\).*/\1/' <<<"$result")
  failed=$(sed 's/.* failed=\([^ ]*\).*/\1/' <<<"$result")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p95" "$p99" "$failed" | tee -a "$table"
}

baseline() { # db url -> inserts per second
  if [ "$1" = postgres ]; then
    PGOPTIONS="-c client_min_messages=warning" psql "$2" -qc "DROP TABLE IF EXISTS bench_baseline" \
      -c "CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body text NOT NULL)"
    echo "INSERT INTO bench_baseline (body) VALUES ('Benchmark: de begeleiding kwam deze week drie keer niet opdagen.');" >"$out/insert.sql"
    pgbench -n -c "$conns" -j 2 -T "$secs" -f "$out/insert.sql" "$2" 2>/dev/null |
      sed -n 's/^tps = \([0-9.]*\).*/\1/p'
    psql "$2" -qc "DROP TABLE bench_baseline"
  else
    # One connection (SQLite has one writer), each row its own transaction, with the pragmas
    # the server uses (WAL, synchronous=NORMAL).
    python3 - "$out/national.db" "$secs" <<'EOF'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
db.execute("DROP TABLE IF EXISTS bench_baseline")
db.execute("CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY, at TEXT NOT NULL, body TEXT NOT NULL)")
n, end = 0, time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO bench_baseline (at, body) VALUES (datetime('now'), ?)",
               ("Benchmark: de begeleiding kwam deze week drie keer niet opdagen.",))
    db.execute("COMMIT")
    n += 1
print(f"{n / float(sys.argv[2]):.1f}")
db.execute("DROP TABLE bench_baseline")
EOF
  fi
}

# The signals the intake scenario filed (recognisable by its description) are deleted again, so
# every run measures the same data set.
forget_filed() { # db url
  local sql="DELETE FROM signal_events WHERE signal_id IN (SELECT id FROM signals WHERE description = '$marker');
DELETE FROM signals WHERE description = '$marker';"
  if [ "$1" = sqlite ]; then
    python3 -c "import sqlite3,sys;db=sqlite3.connect(sys.argv[1]);db.executescript(sys.argv[2]);db.commit()" "$out/national.db" "$sql"
  else
    # Their history entries go with them (ON DELETE CASCADE, by the index on signal_id). Named
    # in a statement of their own they were joined to the signals by a plan made from
    # statistics older than the run's ~60,000 filings: 65 s of nested loops.
    psql "$2" -qc "DELETE FROM signals WHERE description = '$marker';" >/dev/null
  fi
}

# Waits until the server's background task has taken in every logged change to a risk input
# (`risk::refresher`), at most two minutes. The previous run's filings, deleted again at its end,
# logged a change for each of their providers; until those scores are kept again the dashboard
# computes them on the spot, which is what a server does for a while after a burst, not how it
# runs.
settle() { # db url
  local n=1 i
  for i in $(seq 240); do
    if [ "$1" = sqlite ]; then
      n=$(python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('select count(*) from provider_risk_changes').fetchone()[0])" "$out/national.db")
    else
      n=$(psql "$2" -tAc "select count(*) from provider_risk_changes")
    fi
    [ "$n" = 0 ] && return
    sleep 0.5
  done
  echo "the risk scores' background task has not caught up ($n changes left); measuring anyway"
}

run_db() { # db
  local db=$1 url ready
  # mode=rwc: the first run creates the database file.
  if [ "$db" = sqlite ]; then url="sqlite://$PWD/$out/national.db?mode=rwc"; else url=$pg_url; fi
  ensure_data "$db" "$url"
  forget_filed "$db" "$url"   # what an interrupted run left
  DATABASE_URL="$url" RUST_LOG=warn "$bin" migrate >/dev/null
  table="$out/national-$db.md"; results="$out/national-$db.results"; : >"$results"
  start_server "$url"
  settle "$db" "$url"
  if [ "$db" = postgres ]; then
    # What autovacuum does in production: this machine's PostgreSQL runs with it switched off
    # (conf.d/90-ci.conf), and the signals an earlier run filed and removed again, the risk
    # scores the server computed anew meanwhile and the emptied change log (`settle`) would
    # otherwise stay behind as dead rows and empty pages that every later run reads past. After
    # `settle`, as autovacuum would come by once the change log has been emptied.
    # The checkpoint writes out what the vacuum changed now, not spread over the measurement.
    psql "$url" -qc "VACUUM ANALYZE" -c "CHECKPOINT"
  fi
  echo
  local via=""
  if [ "$db" = postgres ]; then
    case "$url" in *host=/*) via=", over the Unix socket" ;; *) via=", over ${url#*@}" ;; esac
  fi
  echo "== $db: $(nproc) cores, $(date -u +%F), $secs s per scenario, $conns connections$via ==" | tee "$table"
  echo "start to ready: $ready ms" | tee -a "$table"
  token=$(curl -fs -H 'content-type: application/json' "$base/api/v1/session" \
    -d "{\"email\":\"$inspector\",\"password\":\"$password\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
  api "/api/v1/providers?per_page=100" | ids >"$out/providers.txt"
  api "/api/v1/reports?status=definitief&per_page=100" | ids >"$out/reports.txt"
  printf '%s\n' zorg thuis begeleiding wonen hulp dag enschede hengelo almelo oldenzaal >"$out/terms.txt"
  echo | tee -a "$table"
  echo "| scenario | req/s | p50 ms | p95 ms | p99 ms | failed |" | tee -a "$table"
  echo "|---|---|---|---|---|---|" | tee -a "$table"
  scenario "region dashboard (GET /api/v1/regions/$region/dashboard)" get.lua "/api/v1/regions/$region/dashboard"
  scenario "provider search (GET /api/v1/providers?q=…)" paths.lua "/api/v1/providers?q=%s" "$out/terms.txt"
  scenario "signal list of the region (GET /meldingen)" get.lua "/meldingen"
  scenario "report page (GET /rapporten/{id})" paths.lua "/rapporten/%s" "$out/reports.txt"
  # Last: the thousands of signals it files would otherwise lengthen the signal list measured
  # above. They are removed again after the run (forget_filed).
  scenario "signal intake (POST /api/v1/signals)" intake.lua "" "$out/providers.txt"
  local peak
  kill -0 "$server" 2>/dev/null || { echo "the server stopped during the run:"; tail -5 "$out/server.log"; exit 1; }
  peak=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  forget_filed "$db" "$url"
  local base_rps intake ratio
  base_rps=$(baseline "$db" "$url")
  intake=$(sed -n 's/^signal intake.* rps=\([^ ]*\).*/\1/p' "$results")
  ratio=$(python3 -c "print(f'{$intake / $base_rps:.2f}')")
  echo | tee -a "$table"
  echo "server peak memory (VmHWM): $peak MB" | tee -a "$table"
  if [ "$db" = postgres ]; then
    echo "raw baseline (pgbench, single-row INSERT, $conns clients): $base_rps tps" | tee -a "$table"
  else
    echo "raw baseline (single-row INSERT per transaction, one connection, WAL): $base_rps rows/s" | tee -a "$table"
  fi
  echo "signal intake / baseline: $ratio" | tee -a "$table"
}

case "$which" in
  sqlite | postgres) run_db "$which" ;;
  both) run_db sqlite; run_db postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both]"; exit 2 ;;
esac
