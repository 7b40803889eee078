#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: initdb + pg_ctl into a temp dir, loopback only,
# on a free port, trust auth (nothing listens beyond 127.0.0.1), fsync off (it is thrown away;
# MOVIEREC_PG_FSYNC=on keeps it, for benchmarks that compare durable writes).
#
#   .ci/postgres.sh run CMD...   start, run CMD with MOVIEREC_TEST_DATABASE_URL set, stop
#   . .ci/postgres.sh            in a script: postgres_start / postgres_stop (see .ci/run)
#
# Installs Debian's postgresql-15 with apt when no server binaries are found. As root the
# server runs as the `postgres` user (PostgreSQL refuses to run as root).

postgres_bin() {
    local dir
    if [ -n "${MOVIEREC_TEST_PG_BIN:-}" ] && [ -x "$MOVIEREC_TEST_PG_BIN/pg_ctl" ]; then
        echo "$MOVIEREC_TEST_PG_BIN"
        return 0
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -rn); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return 0
    fi
    return 1
}

postgres_install() {
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "postgres.sh: no PostgreSQL server binaries, and cannot apt-get install them" >&2
        return 1
    fi
    echo "postgres.sh: installing postgresql-15 with apt" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        postgresql-15 >&2
}

# Run as the server's owner: `postgres` when we are root, ourselves otherwise.
postgres_as() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

postgres_start() {
    local bin port durability="-c fsync=off -c full_page_writes=off"
    [ "${MOVIEREC_PG_FSYNC:-off}" = on ] && durability=""
    bin=$(postgres_bin) || { postgres_install && bin=$(postgres_bin); } || return 1
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    MOVIEREC_PG_DIR=$(mktemp -d /tmp/movierec-pg.XXXXXX)
    export MOVIEREC_PG_DIR
    chmod 700 "$MOVIEREC_PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$MOVIEREC_PG_DIR"
    postgres_as "$bin/initdb" -D "$MOVIEREC_PG_DIR/data" -U movierec -A trust -E UTF8 \
        --no-locale --no-sync >"$MOVIEREC_PG_DIR/initdb.log" 2>&1 || {
        cat "$MOVIEREC_PG_DIR/initdb.log" >&2
        return 1
    }
    for _ in 1 2 3; do
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        if postgres_as "$bin/pg_ctl" -D "$MOVIEREC_PG_DIR/data" -l "$MOVIEREC_PG_DIR/server.log" \
            -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $port -k $MOVIEREC_PG_DIR $durability -c max_connections=200" \
            start >/dev/null; then
            break
        fi
        port=
    done
    if [ -z "$port" ]; then
        cat "$MOVIEREC_PG_DIR/server.log" >&2
        return 1
    fi
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U movierec movierec_test || return 1
    export MOVIEREC_TEST_DATABASE_URL="postgresql://movierec@127.0.0.1:$port/movierec_test"
    export MOVIEREC_TEST_PG_BIN="$bin"
    echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}

postgres_stop() {
    local bin
    if [ -n "${MOVIEREC_PG_DIR:-}" ] && [ -d "$MOVIEREC_PG_DIR" ]; then
        if [ -f "$MOVIEREC_PG_DIR/data/postmaster.pid" ] && bin=$(postgres_bin); then
            postgres_as "$bin/pg_ctl" -D "$MOVIEREC_PG_DIR/data" -m immediate -w stop \
                >/dev/null 2>&1 || true
        fi
        rm -rf "$MOVIEREC_PG_DIR"
    fi
    unset MOVIEREC_PG_DIR
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
    run)
        shift
        trap 'status=$?; postgres_stop; exit $status' EXIT
        trap 'exit 130' INT TERM
        postgres_start
        "$@"
        ;;
    *)
        echo "usage: $0 run COMMAND [ARG...]" >&2
        exit 64
        ;;
    esac
fi
