#!/bin/sh
# The project's own lint (STYLE.md habit 9): functions we never use, and files grown too long.
# Exit 1 with the offending lines, so `make test` fails on them.
set -u
cd "$(dirname "$0")/.."
status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)[[:space:]]*\('
if grep -rnE "$banned" src tests/unit tests/fuzz --include='*.c' --include='*.h'; then
  echo "lint: banned function above (use snprintf, strtol, a ps_buf ...)" >&2
  status=1
fi
for f in $(find src -name '*.c'); do
  n=$(wc -l <"$f")
  if [ "$n" -gt 1500 ]; then
    echo "lint: $f has $n lines (split it: a file nearing 1,500 lines is two files)" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "lint: clean"
exit $status
