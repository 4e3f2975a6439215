#!/bin/bash
# Telemetry ingest benchmark: a fresh server on a fresh database, N owners with one vehicle and
# one device each, then wrk posting batches (bench/telemetry_ingest.lua). Prints readings/s.
#   bench/telemetry_ingest.sh [BIN] [DATABASE_URL]
#   env: DEVICES (default 8), TELEMETRY_BATCH (500), DURATION (10 s), CONNECTIONS (16), THREADS (1)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/pitstop}
WORK=$(mktemp -d /tmp/pitstop-telemetry-bench.XXXXXX)
URL_DB=${2:-sqlite:$WORK/bench.db}
DEVICES=${DEVICES:-8}
export TELEMETRY_BATCH=${TELEMETRY_BATCH:-500}
export PITSTOP_DATABASE_URL=$URL_DB PITSTOP_SECRETS_FILE=$WORK/secrets PITSTOP_UPLOAD_DIR=$WORK/up
export PITSTOP_LOG_LEVEL=warn PITSTOP_RATE_SIGNUP_PER_HOUR=1000000
PORT=$((20000 + RANDOM % 30000))
BASE=http://127.0.0.1:$PORT
"$BIN" migrate >/dev/null
taskset -c 0 "$BIN" serve --listen 127.0.0.1:$PORT >"$WORK/log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.05; done

vin() {   # a VIN with a correct check digit (same rule as src/vehicles/vin.c)
  python3 - "$1" <<'PY'
import sys
v = {**{str(i): i for i in range(10)}, **dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", [1,2,3,4,5,6,7,8,1,2,3,4,5,7,9,2,3,4,5,6,7,8,9]))}
w = [8,7,6,5,4,3,2,10,0,9,8,7,6,5,4,3,2]
s = "LSVAB1230RA%06d" % int(sys.argv[1])
r = sum(v[c] * w[i] for i, c in enumerate(s) if i != 8) % 11
print(s[:8] + ("X" if r == 10 else str(r)) + s[9:])
PY
}

TOKENS=""
for i in $(seq 1 "$DEVICES"); do
  login="bench.telemetry.$i.$RANDOM@example.com"
  curl -fs -H 'content-type: application/json' "$BASE/api/v1/auth/register" \
    -d "{\"email\":\"$login\",\"password\":\"secret123\",\"name\":\"Bench $i\"}" >/dev/null
  access=$(curl -fs -H 'content-type: application/json' "$BASE/api/v1/auth/login" \
    -d "{\"login\":\"$login\",\"password\":\"secret123\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
  vid=$(curl -fs -H 'content-type: application/json' -H "authorization: Bearer $access" "$BASE/api/v1/vehicles" \
    -d "{\"vin\":\"$(vin "$i")\",\"odometer_km\":1000,\"fuel_type\":\"phev\",\"usage\":\"private\"}" \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
  tok=$(curl -fs -H 'content-type: application/json' -H "authorization: Bearer $access" \
    "$BASE/api/v1/vehicles/$vid/devices" -d '{}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
  TOKENS="$TOKENS${TOKENS:+,}$tok"
done
export TELEMETRY_TOKENS=$TOKENS
taskset -c 1 wrk -t"${THREADS:-1}" -c"${CONNECTIONS:-16}" -d"${DURATION:-10}s" --latency \
  -s bench/telemetry_ingest.lua "$BASE" | grep -E "telemetry:|Requests/sec|Latency"
