#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests (awxsim on PostgreSQL), without systemd.
#
#   url=$(tools/postgres.sh start)      # prints postgres://awx@127.0.0.1:PORT/awxsim
#   AWXSIM_TEST_DB=$url .venv/bin/pytest tests/awxsim -q
#   tools/postgres.sh stop "$url"       # or: tools/postgres.sh stop DIR
#
# start: installs Debian's `postgresql` package with apt-get when no PostgreSQL is found and
# this runs as root; makes a cluster in a new directory /tmp/gitops-awx-pg.XXXXXX (trust
# authentication, fsync off: test data only), starts it bound to 127.0.0.1 on a free port,
# creates the database `awxsim` owned by the superuser `awx`, writes the URL to DIR/url and
# prints it. As root the server runs as the `postgres` user (PostgreSQL refuses root).
# stop: stops that cluster and removes its directory.
# Exit status 1 with a message on stderr when PostgreSQL cannot be installed or started.
set -euo pipefail

DB_NAME=awxsim
DB_USER=awx
PREFIX=/tmp/gitops-awx-pg.

die() {
    echo "tools/postgres.sh: $*" >&2
    exit 1
}

find_bindir() {
    local dir
    # Debian keeps each major version under /usr/lib/postgresql/<version>/bin; take the newest.
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"
        return
    fi
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

install_postgres() {
    [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
    command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is not available"
    # The package would create and start a default cluster on port 5432; we need none.
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
        mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    fi
    echo "tools/postgres.sh: installing postgresql with apt-get" >&2
    apt-get update -qq >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 \
        || die "apt-get install postgresql failed"
}

free_port() {
    local python
    python=$(command -v python3 || command -v python || true)
    if [ -n "$python" ]; then
        "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    else
        echo $((20000 + RANDOM % 20000))
    fi
}

# Run a command as the user that owns the cluster.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    local bindir dir port url
    bindir=$(find_bindir)
    if [ -z "$bindir" ]; then
        install_postgres
        bindir=$(find_bindir)
        [ -n "$bindir" ] || die "postgresql was installed but no initdb was found under /usr/lib/postgresql"
    fi
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (from the postgresql package)"
    fi
    dir=$(mktemp -d "${PREFIX}XXXXXX")
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U "$DB_USER" -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
    local _attempt
    for _attempt in 1 2 3; do
        port=$(free_port)
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
            -o "-k $dir -h 127.0.0.1 -p $port -F -c synchronous_commit=off -c full_page_writes=off" \
            >/dev/null 2>&1; then
            break
        fi
        port=""
    done
    if [ -z "$port" ]; then
        cat "$dir/server.log" >&2 || true
        rm -rf "$dir"
        die "the PostgreSQL server did not start"
    fi
    echo "$port" >"$dir/port"
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME" \
        || { stop_dir "$dir"; die "createdb failed"; }
    url="postgres://$DB_USER@127.0.0.1:$port/$DB_NAME"
    echo "$url" >"$dir/url"
    echo "tools/postgres.sh: PostgreSQL in $dir; stop it with: tools/postgres.sh stop $url" >&2
    echo "$url"
}

stop_dir() {
    local dir=$1 bindir
    case "$dir" in
        "$PREFIX"*) ;;
        *) die "not a directory made by tools/postgres.sh: $dir" ;;
    esac
    [ -d "$dir" ] || die "no such cluster directory: $dir"
    bindir=$(find_bindir)
    if [ -n "$bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

stop() {
    local target=${1:-} dir port
    [ -n "$target" ] || die "usage: tools/postgres.sh stop URL|DIR"
    if [ -d "$target" ]; then
        stop_dir "$target"
        return
    fi
    port=$(echo "$target" | sed -n 's#^postgres\(ql\)\{0,1\}://[^/]*:\([0-9][0-9]*\)/.*#\2#p')
    [ -n "$port" ] || die "not a cluster directory nor a postgres:// URL with a port: $target"
    for dir in "$PREFIX"*; do
        if [ -f "$dir/port" ] && [ "$(cat "$dir/port")" = "$port" ]; then
            stop_dir "$dir"
            return
        fi
    done
    die "no cluster of tools/postgres.sh listens on port $port"
}

case "${1:-}" in
    start) start ;;
    stop) shift; stop "$@" ;;
    *) die "usage: tools/postgres.sh start | stop URL|DIR" ;;
esac
