#!/bin/sh
# Installs the Debian packages Pitstop needs to build, test and benchmark, if any are missing.
# Called by `make deps` (and so by `make run` / `make test`). Safe to run again: it only asks
# apt-get for what dpkg does not already list as installed.
set -eu

BUILD="build-essential cmake pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
       libpq-dev libsodium-dev libjwt-dev scantool"
TEST="libcmocka-dev postgresql clang libclang-rt-14-dev chromium curl sqlite3"
BENCH="wrk nginx-light"

want="$BUILD"
case "${1:-run}" in
  test)  want="$BUILD $TEST" ;;
  bench) want="$BUILD $TEST $BENCH" ;;
esac
# Node.js: the machine's own if it has one, else Debian's.
command -v node >/dev/null 2>&1 || want="$want nodejs"
command -v npm  >/dev/null 2>&1 || want="$want npm"

missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
