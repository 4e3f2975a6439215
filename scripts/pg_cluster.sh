#!/bin/sh
# A throwaway PostgreSQL cluster for tests (unit, API, CI).
#   pg_cluster.sh start DIR PORT   create a cluster in DIR, listen on 127.0.0.1:PORT, create
#                                  role pitstop / database pitstop_test, print its URL
#   pg_cluster.sh stop DIR         stop it fast and remove DIR
# The cluster trades durability for speed (fsync=off): never point it at data you keep.
set -eu

usage() {
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
}

pg_bin() {
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    echo "pg_cluster: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2
    exit 1
}

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    dir=$1
    port=$2
    bin=$(pg_bin)
    case $port in
        ''|*[!0-9]*) echo "pg_cluster: PORT must be a number, got '$port'" >&2; exit 2 ;;
    esac
    if [ -e "$dir/data/PG_VERSION" ]; then
        echo "pg_cluster: $dir already holds a cluster (run: $0 stop $dir)" >&2
        exit 1
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            echo "pg_cluster: user postgres cannot write $dir (check the parent directories' permissions)" >&2
            exit 1
        fi
    fi
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    cat >>"$dir/data/postgresql.conf" <<EOF
# pg_cluster.sh: throwaway test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 64MB
log_min_messages = warning
EOF
    # -A trust above also covers host connections from 127.0.0.1 (pg_hba.conf "host ... trust").
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || {
        cat "$dir/server.log" >&2
        exit 1
    }
    for _ in $(seq 1 60); do
        if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
            break
        fi
        sleep 0.5
    done
    psql_pg() {
        "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
    }
    psql_pg -c "CREATE ROLE pitstop LOGIN PASSWORD 'pitstop'" >/dev/null
    psql_pg -c "CREATE DATABASE pitstop_test OWNER pitstop ENCODING 'UTF8'" >/dev/null
    echo "postgres://pitstop:pitstop@127.0.0.1:$port/pitstop_test"
}

stop() {
    dir=$1
    bin=$(pg_bin)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null || true
    fi
    rm -rf "$dir"
}

[ $# -ge 1 ] || usage
case $1 in
    start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
    stop)  [ $# -eq 2 ] || usage; stop "$2" ;;
    *)     usage ;;
esac
