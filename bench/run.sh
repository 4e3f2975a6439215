#!/bin/bash
# Pitstop benchmarks: wrk over loopback against a release build, the server (and PostgreSQL)
# on one core and the load generator pinned to the other, and as the reference, measured in
# the same run with the same wrk settings, nginx serving a static file of the same size as
# each answer. Prints a markdown table (also kept in bench/results/). See docs/PERFORMANCE.md.
#
#   bench/run.sh quick   small data, short runs, SQLite only (under 2 minutes)
#   bench/run.sh full    10,000 providers, 100,000 owners and vehicles, longer runs, both databases
#
# Environment (all optional):
#   BENCH_BACKENDS="sqlite postgres"   which databases
#   BENCH_SCENARIOS="nearby orders"    which scenarios (default: all of them)
#   BENCH_PROFILE="nearby orders"      perf-record the server during these scenarios
#                                      (report in bench/results/<run>/profile-<db>-<scenario>.txt)
#   BENCH_DURATION=10 BENCH_CONNECTIONS=64 BENCH_PROVIDERS=.. BENCH_OWNERS=..
#   BENCH_REPEAT=2                     runs per scenario, server and nginx in turn, best of each
#   BENCH_NO_NGINX=1                   skip the nginx reference (quicker look at one hot path)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-quick}
case "$MODE" in
  quick) PROVIDERS=2000;  OWNERS=5000;   DURATION=4;  REPEAT=1; BACKENDS="sqlite" ;;
  full)  PROVIDERS=10000; OWNERS=100000; DURATION=10; REPEAT=2; BACKENDS="sqlite postgres" ;;
  *) echo "usage: bench/run.sh quick|full" >&2; exit 2 ;;
esac
PROVIDERS=${BENCH_PROVIDERS:-$PROVIDERS}
OWNERS=${BENCH_OWNERS:-$OWNERS}
DURATION=${BENCH_DURATION:-$DURATION}
REPEAT=${BENCH_REPEAT:-$REPEAT}
BACKENDS=${BENCH_BACKENDS:-$BACKENDS}
# Orders and telemetry come before login: their data holds 15-minute access tokens.
SCENARIOS=${BENCH_SCENARIOS:-"nearby nearby_hot provider search orders telemetry login"}
PROFILE=${BENCH_PROFILE:-}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
SERVER_CPU=0
LOAD_CPU=1
[ "$(nproc)" -ge 2 ] || { SERVER_CPU=0; LOAD_CPU=0; }

for tool in wrk nginx node curl taskset; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps-bench)" >&2; exit 1; }
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$ROOT/bench/results/$STAMP-$MODE"
WORK=$(mktemp -d /tmp/pitstop-bench.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$OUT"
SERVER_PID=""
NGINX_PID=""
PG_DIR=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  [ -n "$PG_DIR" ] && "$ROOT/scripts/pg_cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

echo "building the release binary..." >&2
[ -f build-release/CMakeCache.txt ] || cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release -j"$(nproc)" >/dev/null
# A private copy: others may rebuild build-release while this runs, and perf needs the exact
# binary it sampled to name the functions.
cp build-release/pitstop "$WORK/pitstop"
BIN="$WORK/pitstop"
export PITSTOP_BIN=$BIN

export PITSTOP_JWT_SECRET="bench-jwt-secret-0123456789abcdef0123456789abcdef"
export PITSTOP_DATA_KEY="ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
export PITSTOP_PAYMENT_WEBHOOK_SECRET="bench-webhook-secret-0123456789"
export PITSTOP_RATE_SIGNUP_PER_HOUR=100000000
export PITSTOP_LOG_LEVEL=warn
export PITSTOP_SANDBOX_GATEWAY=off
export PITSTOP_UPLOAD_DIR="$WORK/uploads" PITSTOP_SECRETS_FILE="$WORK/secrets"

# --- the server -------------------------------------------------------------------------

start_server() {   # start_server: sets SERVER_PID, PITSTOP_URL and STARTUP_MS (exec to first /healthz)
  PORT=$(free_port)
  export PITSTOP_URL="http://127.0.0.1:$PORT"
  local t0 t1
  t0=$(date +%s%N)
  taskset -c "$SERVER_CPU" "$BIN" serve --listen "127.0.0.1:$PORT" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -fsS "$PITSTOP_URL/healthz" >/dev/null 2>&1; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.002
  done
  t1=$(date +%s%N)
  STARTUP_MS=$(( (t1 - t0) / 1000000 ))
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# Median of five start-ups (the first /healthz answer includes curl's own start, ~3 ms).
startup_median_ms() {
  local samples=()
  for _ in 1 2 3 4 5; do start_server; samples+=("$STARTUP_MS"); stop_server; done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n 3p
}

# Peak RSS of the server since the last reset_peak_rss (VmHWM; writing 5 to clear_refs resets it).
reset_peak_rss() { echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || true; }
peak_rss_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

# --- load -------------------------------------------------------------------------------

# wrk_run URL LUA [ENV...]: prints "req_per_s p50_ms p99_ms"; the full output stays in $WORK/wrk.out
wrk_run() {
  local url=$1 lua=$2
  shift 2
  env "$@" taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$lua" "$url" >"$WORK/wrk.out" 2>&1 || true
  awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    END { printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99) }' "$WORK/wrk.out"
}

# How many answers of one status the last POST run got (post_lines.lua prints "statuses: 201=N ...").
status_count() { grep -o "[[:space:]]$1=[0-9]*" "$WORK/wrk.out" | head -1 | cut -d= -f2 | grep . || echo 0; }
statuses() { grep '^statuses:' "$WORK/wrk.out" | cut -d' ' -f2- || true; }

# The reference: nginx serving a static file the size of the answer, same wrk settings.
nginx_ref() {   # nginx_ref FILE -> "req_per_s p50 p99"
  local file=$1 port
  port=$(free_port)
  mkdir -p "$WORK/nginx/root" "$WORK/nginx/tmp"
  cp "$file" "$WORK/nginx/root/answer.json"
  cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $WORK/nginx/error.log warn;
pid $WORK/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp; uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$port; root $WORK/nginx/root;
           location / { default_type application/json; try_files /answer.json =404; } }
}
CONF
  taskset -c "$SERVER_CPU" nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>/dev/null &
  NGINX_PID=$!
  until curl -fsS "http://127.0.0.1:$port/x" >/dev/null 2>&1; do sleep 0.01; done
  printf '/x\n' >"$WORK/ref_paths"
  wrk_run "http://127.0.0.1:$port" bench/lua/get_list.lua BENCH_PATHS="$WORK/ref_paths"
  kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=""
}

# perf-record the server while wrk runs (software clock: this VM has no hardware counters).
profile_start() {   # profile_start NAME
  command -v perf >/dev/null || return 0
  # DWARF call chains: the release build and Debian's libraries keep no frame pointers.
  perf record -e cpu-clock -F 999 --call-graph dwarf,16384 -p "$SERVER_PID" -o "$WORK/perf-$1.data" >/dev/null 2>&1 &
  PERF_PID=$!
  sleep 0.2
}
profile_stop() {   # profile_stop NAME
  [ -n "${PERF_PID:-}" ] || return 0
  kill -INT "$PERF_PID" 2>/dev/null || true
  wait "$PERF_PID" 2>/dev/null || true
  PERF_PID=""
  perf report -i "$WORK/perf-$1.data" --no-children --sort symbol --stdio 2>/dev/null \
    | grep -v '^$' | grep -E '^ +[0-9.]+%' | head -60 >"$OUT/profile-$1.txt" || true
  perf report -i "$WORK/perf-$1.data" --no-children --sort dso --stdio 2>/dev/null \
    | grep -E '^ +[0-9.]+%' | head -15 >"$OUT/profile-$1-dso.txt" || true
  perf script -i "$WORK/perf-$1.data" 2>/dev/null | node bench/perf_attrib.mjs --top 30 >"$OUT/profile-$1-own.txt" || true
  rm -f "$WORK/perf-$1.data"
  echo "profile: $OUT/profile-$1.txt" >&2
}

# --- table --------------------------------------------------------------------------------

ROWS=()
row() { ROWS+=("$1"); printf '%s\n' "$1" >&2; }

# The scenario's own measure of work beside req/s: orders placed, readings stored, ...
work_note() {   # work_note SCENARIO RPS
  local ok
  case $1 in
    orders)
      ok=$(status_count 201)
      echo "$(awk -v n="$ok" -v d="$DURATION" 'BEGIN { printf "%.0f", n / d }') orders/s placed; $(statuses)" ;;
    telemetry)
      ok=$(status_count 202)
      echo "$(awk -v n="$ok" -v d="$DURATION" 'BEGIN { printf "%.0f", n * 500 / d }') readings/s; $(statuses)" ;;
    login) echo "$(statuses)" ;;
    nearby) echo "distinct points (answer cache cold)" ;;
    nearby_hot) echo "64 points replayed (answer cache hot)" ;;
    *) grep -o 'Non-2xx or 3xx responses: [0-9]*' "$WORK/wrk.out" || true ;;
  esac
}

# One wrk run of a scenario against the server: prints "req_per_s p50 p99".
load_scenario() {   # load_scenario SCENARIO
  local scenario=$1
  case $scenario in
    nearby|nearby_hot|provider|search)
      wrk_run "$PITSTOP_URL" bench/lua/get_list.lua BENCH_PATHS="$WORK/data/$scenario.paths" ;;
    orders)
      wrk_run "$PITSTOP_URL" bench/lua/post_lines.lua BENCH_LINES="$WORK/data/$scenario.lines" BENCH_IDEMPOTENCY=1 ;;
    *)
      wrk_run "$PITSTOP_URL" bench/lua/post_lines.lua BENCH_LINES="$WORK/data/$scenario.lines" ;;
  esac
}

# Other work on the machine only ever slows a run down, so with BENCH_REPEAT > 1 the server and
# nginx take turns and each keeps its best run: the ratio compares like with like.
run_scenario() {   # run_scenario BACKEND SCENARIO
  local backend=$1 scenario=$2 r rps=0 p50 p99 rss nrps="" ratio="" note n best_n=0 i
  [ -f "$WORK/data/$scenario.sample" ] || { echo "skip $scenario: no data (see the generator's log above)" >&2; return; }
  reset_peak_rss
  case " $PROFILE " in *" $scenario "*) profile_start "$backend-$scenario" ;; esac
  for ((i = 1; i <= REPEAT; i++)); do
    r=$(load_scenario "$scenario")
    if awk -v a="${r%% *}" -v b="$rps" 'BEGIN { exit !(a + 0 > b + 0) }'; then
      read -r rps p50 p99 <<<"$r"
      note=$(work_note "$scenario" "$rps")
      cp "$WORK/wrk.out" "$OUT/wrk-$backend-$scenario.txt"
    fi
    [ -n "${BENCH_NO_NGINX:-}" ] && continue
    read -r n _ _ <<<"$(nginx_ref "$WORK/data/$scenario.sample")"
    awk -v a="$n" -v b="$best_n" 'BEGIN { exit !(a + 0 > b + 0) }' && best_n=$n
  done
  profile_stop "$backend-$scenario"
  rss=$(peak_rss_mb)
  if [ -z "${BENCH_NO_NGINX:-}" ]; then
    nrps=$best_n
    ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  fi
  row "| $backend | $scenario | $rps | $p50 | $p99 | $rss | $(stat -c %s "$WORK/data/$scenario.sample") | $nrps | $ratio | $note |"
}

# PostgreSQL for a benchmark: the test cluster with durability back on (it ships with fsync
# off), pinned to the server's core so that the load generator keeps its own.
start_postgres() {   # sets PG_DIR and PITSTOP_DATABASE_URL
  PG_DIR="$WORK/pg"
  local url
  url=$("$ROOT/scripts/pg_cluster.sh" start "$PG_DIR" "$(free_port)")
  export PITSTOP_DATABASE_URL=$url
  local superuser="postgres://postgres@${url##*@}"
  superuser="${superuser%/*}/postgres"
  psql "$superuser" -X -q -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
    -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null \
    || echo "bench: could not turn durability on in the PostgreSQL cluster" >&2
  taskset -a -p -c "$SERVER_CPU" "$(head -1 "$PG_DIR/data/postmaster.pid")" >/dev/null
  PG_DURABILITY="fsync=$(psql "$url" -X -At -c 'SHOW fsync'), synchronous_commit=$(psql "$url" -X -At -c 'SHOW synchronous_commit')"
}

run_backend() {   # run_backend sqlite|postgres
  local backend=$1
  rm -rf "$WORK/data" "$WORK/bench.db"*
  if [ "$backend" = sqlite ]; then export PITSTOP_DATABASE_URL="sqlite:$WORK/bench.db"
  else start_postgres; fi
  "$BIN" migrate >/dev/null
  local empty_startup
  empty_startup=$(startup_median_ms)
  start_server
  echo "generating data ($PROVIDERS providers, $OWNERS owners and vehicles) on $backend..." >&2
  local t0=$SECONDS
  node bench/gen.mjs --providers "$PROVIDERS" --owners "$OWNERS" --out "$WORK/data" >&2
  local gen_s=$((SECONDS - t0))
  # Measure on a fresh process over the full database (no warm caches from generating).
  stop_server
  start_server
  local full_startup=$STARTUP_MS
  for scenario in $SCENARIOS; do run_scenario "$backend" "$scenario"; done
  local durability="synchronous=FULL, WAL"
  [ "$backend" = postgres ] && durability=$PG_DURABILITY
  row "| $backend | start-up | | | | | | | | ${empty_startup} ms empty db (median of 5), ${full_startup} ms with the data; data generated in ${gen_s} s; $durability |"
  stop_server
  if [ -n "$PG_DIR" ]; then "$ROOT/scripts/pg_cluster.sh" stop "$PG_DIR" >/dev/null; PG_DIR=""; fi
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
awk '{ exit !($1 > 1.0) }' /proc/loadavg && echo "bench: load average is $LOAD_BEFORE: other processes share the cores, figures will be noisy" >&2
for b in $BACKENDS; do run_backend "$b"; done

{
  echo "Benchmark $MODE, $STAMP, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)),"
  echo "$PROVIDERS providers, $OWNERS owners, $CONNECTIONS connections, best of $REPEAT run(s) of ${DURATION}s per scenario, server on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU;"
  echo "reference = nginx serving a file of the answer's size, same wrk settings, same run;"
  echo "load average before the run: $LOAD_BEFORE (other work on the machine skews every figure, the ratios least)."
  echo
  echo "| db | scenario | req/s | p50 ms | p99 ms | peak RSS MB | answer bytes | nginx req/s | ratio | notes |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$OUT/table.md"
cp "$OUT/table.md" "$ROOT/bench/results/latest-$MODE.md"
