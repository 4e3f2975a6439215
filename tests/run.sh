#!/bin/bash
# Runs Pitstop's tests against real parts: a real SQLite file, a throwaway PostgreSQL cluster,
# real HTTP over loopback, a real browser.
#
#   tests/run.sh all                    everything `make test` runs
#   tests/run.sh lint                   banned functions, oversized files (scripts/lint.sh)
#   tests/run.sh unit                   cmocka unit tests through CTest
#   tests/run.sh api-sqlite [--filter RE]   black-box API suite on SQLite
#   tests/run.sh api-pg     [--filter RE]   the same suite on PostgreSQL
#   tests/run.sh asan       [--filter RE]   unit + API suite on an ASan+UBSan build, zero reports
#   tests/run.sh fuzz                   short libFuzzer runs (FUZZ_SECONDS each, default 15)
#   tests/run.sh e2e        [--filter RE]   browser journeys in Debian's chromium
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-all}
shift || true
FILTER=""
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) FILTER=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

JOBS=$(nproc 2>/dev/null || echo 2)
WORK=$(mktemp -d /tmp/pitstop-test.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=""
PG_DIR=""
FAILED=()

# Fixed test secrets, shared with the tests so they can sign tokens and webhooks.
export PITSTOP_JWT_SECRET="test-jwt-secret-0123456789abcdef0123456789abcdef"
export PITSTOP_DATA_KEY="00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
export PITSTOP_PAYMENT_WEBHOOK_SECRET="test-webhook-secret-0123456789abcdef"
export PITSTOP_TEST_OPERATOR_LOGIN="operator@pitstop.test"
export PITSTOP_TEST_OPERATOR_PASSWORD="operator-pass-1"

cleanup() {
  stop_server || true
  [ -n "$PG_DIR" ] && "$ROOT/scripts/pg_cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '\n=== %s\n' "$*"; }

build() {   # build DIR [cmake options...]
  local dir=$1; shift
  [ -f "$dir/CMakeCache.txt" ] || cmake -S "$ROOT" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j"$JOBS" >/dev/null || cmake --build "$dir" -j1
}

test_node_modules() {
  if [ -f tests/package.json ] && { [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; }; then
    (cd tests && npm ci --no-audit --no-fund >/dev/null)
  fi
}

# A port nothing listens on (bash's /dev/tcp: a refused connection means free).
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# start_server BIN DATABASE_URL: fresh database, an operator from the CLI, serve on a free port.
start_server() {
  local bin=$1 url=$2
  local dir="$WORK/server.$RANDOM"
  mkdir -p "$dir"
  export PITSTOP_BIN="$ROOT/$bin"
  export PITSTOP_DATABASE_URL="$url"
  export PITSTOP_UPLOAD_DIR="$dir/uploads"
  export PITSTOP_SECRETS_FILE="$dir/secrets"
  export PITSTOP_WEB_DIR="$ROOT/web/dist"
  export PITSTOP_RATE_SIGNUP_PER_HOUR=1000000
  export PITSTOP_LOG_LEVEL=${PITSTOP_LOG_LEVEL:-warn}
  SERVER_LOG="$dir/server.log"
  "$bin" migrate >>"$SERVER_LOG" 2>&1
  if "$bin" --help | grep -q import-dtc; then "$bin" import-dtc >>"$SERVER_LOG" 2>&1 || true; fi
  "$bin" user create --role operator --email "$PITSTOP_TEST_OPERATOR_LOGIN" \
      --password "$PITSTOP_TEST_OPERATOR_PASSWORD" --name "Test Operator" >>"$SERVER_LOG" 2>&1
  local port attempt
  # Another process may take the free port between the check and the bind: try a few.
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    export PITSTOP_URL="http://127.0.0.1:$port"
    "$bin" serve --listen "127.0.0.1:$port" >>"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 200); do
      curl -fsS "$PITSTOP_URL/healthz" >/dev/null 2>&1 && return 0
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.05
    done
    kill -0 "$SERVER_PID" 2>/dev/null && break   # running but not answering: a real problem
    grep -q "cannot listen" "$SERVER_LOG" || break
  done
  echo "server did not start; its log:" >&2
  cat "$SERVER_LOG" >&2
  return 1
}

# SIGTERM must drain and exit 0; a sanitizer report anywhere in the log fails the run.
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  local pid=$SERVER_PID status=0
  SERVER_PID=""
  kill -TERM "$pid" 2>/dev/null || return 0
  wait "$pid" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "server exited with status $status after SIGTERM (expected 0); log tail:" >&2
    tail -50 "$SERVER_LOG" >&2
    return 1
  fi
  if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$SERVER_LOG"; then
    echo "sanitizer reports in the server log:" >&2
    grep -A30 -E "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$SERVER_LOG" | head -120 >&2
    return 1
  fi
}

test_files() {   # test_files DIR
  local files
  files=$(ls "$1"/*.test.mjs 2>/dev/null | sort || true)
  if [ -n "$FILTER" ]; then files=$(echo "$files" | grep -E "$FILTER" || true); fi
  echo "$files"
}

run_api_suite() {   # run_api_suite LABEL BIN DATABASE_URL
  local label=$1 bin=$2 url=$3 files
  files=$(test_files tests/api)
  [ -n "$files" ] || { echo "no API tests match"; return 0; }
  log "API suite on $label"
  test_node_modules
  start_server "$bin" "$url"
  local status=0
  # shellcheck disable=SC2086
  node --test --test-reporter=spec $files || status=$?
  stop_server || status=1
  [ $status -eq 0 ] || FAILED+=("api-$label")
}

# A throwaway cluster; PG_DIR is set in this shell so that cleanup stops it.
start_pg() {
  PG_DIR="$WORK/pg"
  PG_URL=$("$ROOT/scripts/pg_cluster.sh" start "$PG_DIR" "$(free_port)")
}

run_unit() {   # run_unit BUILD_DIR
  log "unit tests ($1)"
  ctest --test-dir "$1" --output-on-failure -j"$JOBS" || FAILED+=("unit-$1")
}

run_fuzz() {
  log "fuzz (${FUZZ_SECONDS:-15} s per target)"
  [ -f build-fuzz/CMakeCache.txt ] || \
    cmake -S "$ROOT" -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DPS_FUZZ=ON -DCMAKE_C_COMPILER=clang >/dev/null
  local targets
  targets=$(ls tests/fuzz/fuzz_*.c | xargs -n1 basename | sed 's/\.c$//' | tr '\n' ' ')
  # shellcheck disable=SC2086
  cmake --build build-fuzz -j"$JOBS" --target $targets >/dev/null
  local t
  for t in build-fuzz/tests/fuzz/fuzz_*; do
    [ -x "$t" ] || continue
    local corpus="$WORK/corpus-$(basename "$t")"
    mkdir -p "$corpus"
    [ -d "tests/fuzz/corpus/$(basename "$t")" ] && cp tests/fuzz/corpus/"$(basename "$t")"/* "$corpus"/ 2>/dev/null || true
    echo "--- $(basename "$t")"
    mkdir -p build-fuzz/artifacts
    "$t" -max_total_time="${FUZZ_SECONDS:-15}" -rss_limit_mb=1024 -print_final_stats=0 \
      -artifact_prefix=build-fuzz/artifacts/ "$corpus" 2>"$WORK/fuzz.log" \
      || { tail -40 "$WORK/fuzz.log"; FAILED+=("fuzz-$(basename "$t")"); }
    grep -E "^Done|stat::number_of_executed_units" "$WORK/fuzz.log" | tail -1 || true
  done
}

run_e2e() {
  local files
  files=$(test_files tests/e2e)
  [ -n "$files" ] || { echo "no browser tests"; return 0; }
  make -s web    # never test an old build of the front end
  log "browser journeys (chromium)"
  test_node_modules
  start_server build/pitstop "sqlite:$WORK/e2e.db"
  local status=0
  # shellcheck disable=SC2086
  # One journey at a time (Node 18 has no --test-concurrency; its default is one file per core
  # but one, which is one on the 2-core CI machine).
  local serial=""
  node --help | grep -q -- --test-concurrency && serial="--test-concurrency=1"
  node --test $serial --test-reporter=spec $files || status=$?
  stop_server || status=1
  [ $status -eq 0 ] || FAILED+=("e2e")
}

# Unit tests and the API suite once more on an AddressSanitizer + UBSan build.
run_asan() {
  build build-asan -DCMAKE_BUILD_TYPE=Debug -DPS_SANITIZE=ON
  (
    export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    run_unit build-asan
    run_api_suite asan-sqlite build-asan/pitstop "sqlite:$WORK/asan.db"
    [ ${#FAILED[@]} -eq 0 ]
  ) || FAILED+=("asan")
}

case "$MODE" in
  lint)       ./scripts/lint.sh || FAILED+=("lint") ;;
  unit)       build build; run_unit build ;;
  api-sqlite) build build; run_api_suite sqlite build/pitstop "sqlite:$WORK/api.db" ;;
  api-pg)     build build; start_pg; run_api_suite postgres build/pitstop "$PG_URL" ;;
  asan)       run_asan ;;
  fuzz)       run_fuzz ;;
  e2e)        build build; run_e2e ;;
  all)
    ./scripts/lint.sh || FAILED+=("lint")
    make -s web    # the API suite checks how the server serves the built front end
    build build
    run_unit build
    run_api_suite sqlite build/pitstop "sqlite:$WORK/api.db"
    start_pg
    run_api_suite postgres build/pitstop "$PG_URL"
    run_asan
    run_fuzz
    run_e2e ;;
  *) echo "usage: tests/run.sh all|lint|unit|api-sqlite|api-pg|asan|fuzz|e2e [--filter RE]" >&2; exit 2 ;;
esac

if [ ${#FAILED[@]} -gt 0 ]; then
  printf '\nFAILED: %s\n' "${FAILED[*]}"
  exit 1
fi
printf '\n%s: every test passed\n' "$MODE"
