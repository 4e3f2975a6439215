#!/bin/bash
# Pitstop benchmarks: wrk over loopback against a release build, the load generator pinned to
# the other core, and nginx serving a static file of the same size as each answer measured in
# the same run as the reference. Prints a markdown table (also kept in bench/results/).
#
#   bench/run.sh quick   small data, short runs (under 2 minutes): check a hot path before it lands
#   bench/run.sh full    10,000 providers, 100,000 owners and vehicles, longer runs, both databases
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-quick}
case "$MODE" in
  quick) PROVIDERS=2000;  OWNERS=5000;   DURATION=5;  BACKENDS="sqlite" ;;
  full)  PROVIDERS=10000; OWNERS=100000; DURATION=15; BACKENDS="sqlite postgres" ;;
  *) echo "usage: bench/run.sh quick|full" >&2; exit 2 ;;
esac
BACKENDS=${BENCH_BACKENDS:-$BACKENDS}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
SERVER_CPU=0
LOAD_CPU=1
[ "$(nproc)" -ge 2 ] || { SERVER_CPU=0; LOAD_CPU=0; }

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
BIN="$ROOT/build-release/pitstop"

export PITSTOP_JWT_SECRET="bench-jwt-secret-0123456789abcdef0123456789abcdef"
export PITSTOP_DATA_KEY="ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
export PITSTOP_PAYMENT_WEBHOOK_SECRET="bench-webhook-secret-0123456789"
export PITSTOP_RATE_SIGNUP_PER_HOUR=100000000
export PITSTOP_LOG_LEVEL=warn
export PITSTOP_SANDBOX_GATEWAY=off

start_server() {   # start_server DATABASE_URL
  export PITSTOP_DATABASE_URL=$1
  export PITSTOP_UPLOAD_DIR="$WORK/uploads" PITSTOP_SECRETS_FILE="$WORK/secrets"
  PORT=$(free_port)
  export PITSTOP_URL="http://127.0.0.1:$PORT"
  local t0 t1
  t0=$(date +%s%N)
  taskset -c "$SERVER_CPU" "$BIN" serve --listen "127.0.0.1:$PORT" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -fsS "$PITSTOP_URL/healthz" >/dev/null 2>&1; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  STARTUP_MS=$(( (t1 - t0) / 1000000 ))
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

peak_rss_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

# wrk_run URL LUA [ENV...]: prints "req_per_s p50_ms p99_ms"
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

# Successful answers of one route from /metrics (to count placed orders, not 409s).
route_count() {   # route_count METHOD PATTERN STATUS
  curl -fsS "$PITSTOP_URL/metrics" | awk -v m="$1" -v r="$2" -v s="$3" '
    index($0, "pitstop_http_requests_total{method=\"" m "\",route=\"" r "\",status=\"" s "\"}") == 1 { print $2; f = 1 }
    END { if (!f) print 0 }'
}

ROWS=()
row() { ROWS+=("$1"); printf '%s\n' "$1" >&2; }

run_backend() {   # run_backend sqlite|postgres
  local backend=$1 url
  if [ "$backend" = sqlite ]; then url="sqlite:$WORK/bench.db"; else
    PG_DIR="$WORK/pg"; url=$("$ROOT/scripts/pg_cluster.sh" start "$PG_DIR" "$(free_port)")
  fi
  "$BIN" migrate >/dev/null
  start_server "$url"
  local empty_startup=$STARTUP_MS
  echo "generating data ($PROVIDERS providers, $OWNERS owners and vehicles) on $backend..." >&2
  node bench/gen.mjs --providers "$PROVIDERS" --owners "$OWNERS" --out "$WORK/data" >&2
  # Re-start on the full database: start-up time is measured on the empty one above.
  stop_server
  start_server "$url"

  local r ref rps p50 p99 rss ratio
  for scenario in nearby provider search login orders telemetry; do
    [ -f "$WORK/data/$scenario.sample" ] || { echo "skip $scenario: no data" >&2; continue; }
    case $scenario in
      nearby|provider|search)
        r=$(wrk_run "$PITSTOP_URL" bench/lua/get_list.lua BENCH_PATHS="$WORK/data/$scenario.paths") ;;
      *)
        r=$(wrk_run "$PITSTOP_URL" bench/lua/post_lines.lua BENCH_LINES="$WORK/data/$scenario.lines") ;;
    esac
    read -r rps p50 p99 <<<"$r"
    rss=$(peak_rss_mb)
    ref=$(nginx_ref "$WORK/data/$scenario.sample")
    read -r nrps _ _ <<<"$ref"
    ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.2f", b > 0 ? a / b : 0 }')
    local extra=""
    case $scenario in
      orders)
        extra="$(route_count POST /api/v1/orders 201) placed, $(route_count POST /api/v1/orders 409) slot-full" ;;
      telemetry)
        extra="$(awk -v r="$rps" 'BEGIN { printf "%.0f", r * 500 }') readings/s" ;;
    esac
    row "| $backend | $scenario | $rps | $p50 | $p99 | $rss | $nrps | $ratio | $extra |"
  done
  row "| $backend | start-up (empty db) | | | | | | | ${empty_startup} ms to first /healthz |"
  stop_server
  if [ -n "$PG_DIR" ]; then "$ROOT/scripts/pg_cluster.sh" stop "$PG_DIR" >/dev/null; PG_DIR=""; fi
}

for b in $BACKENDS; do run_backend "$b"; done

{
  echo "Benchmark $MODE, $STAMP, $(nproc) cores, $CONNECTIONS connections, ${DURATION}s per scenario,"
  echo "server on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU; reference = nginx serving a file of the same size."
  echo
  echo "| db | scenario | req/s | p50 ms | p99 ms | peak RSS MB | nginx req/s | ratio | notes |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$OUT/table.md"
cp "$OUT/table.md" "$ROOT/bench/results/latest-$MODE.md"
