#!/usr/bin/env bash
# A throwaway Citus 13 cluster on the loopback: a coordinator and two workers.
#
#   scripts/citus.sh install          build and install Citus from ../shared/vendor (or
#                                     $CITUS_SOURCE) when PostgreSQL 15 lacks it
#   scripts/citus.sh start DIR PORT   three nodes under DIR on PORT (coordinator), PORT+1
#                                     and PORT+2 (workers); writes DIR/citus.env
#   scripts/citus.sh stop DIR         stop the three nodes
#   scripts/citus.sh with COMMAND...  start a cluster in a temporary folder, run COMMAND with
#                                     MPMP_TEST_DATABASE_URL on the coordinator and
#                                     MPMP_TEST_CITUS_WORKERS naming the workers, remove it
#
# The nodes trust connections from 127.0.0.1 (and nothing else listens): the coordinator
# reaches the workers as the same role the client signed in as, which a throwaway cluster
# allows this way; a real one gives the nodes `citus.node_conninfo` and a .pgpass or
# certificates. fsync is off: the cluster is thrown away.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ports.sh
source "$here/ports.sh"

pg_bin=/usr/lib/postgresql/15/bin
citus_version=13.0.5
default_source="$here/../../shared/vendor/citus-$citus_version.tar.gz"

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

installed() {
    [ -f "$("$pg_bin/pg_config" --pkglibdir 2>/dev/null)/citus.so" ] \
        && [ -f "$("$pg_bin/pg_config" --sharedir 2>/dev/null)/extension/citus.control" ]
}

install() {
    if installed; then return 0; fi
    local source=${CITUS_SOURCE:-$default_source} build
    [ -f "$source" ] || { echo "citus.sh: no Citus source at $source (set CITUS_SOURCE)" >&2; exit 1; }
    echo "citus.sh: building Citus $citus_version from $source (about four minutes)" >&2
    if [ ! -x "$pg_bin/pg_config" ] || ! dpkg -s postgresql-server-dev-15 liblz4-dev libzstd-dev flex bison >/dev/null 2>&1; then
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-server-dev-15 liblz4-dev \
            libzstd-dev libkrb5-dev libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev \
            autoconf flex bison >&2
    fi
    build=$(mktemp -d "${TMPDIR:-/tmp}/citus-build.XXXXXX")
    tar -xzf "$source" -C "$build"
    (
        cd "$build"/citus-*
        ./configure --without-libcurl >configure.log 2>&1 || { tail -20 configure.log >&2; exit 1; }
        make -j"$(nproc)" >make.log 2>&1 || { tail -30 make.log >&2; exit 1; }
        make install >install.log 2>&1 || { tail -20 install.log >&2; exit 1; }
    )
    rm -rf "$build"
    installed || { echo "citus.sh: Citus did not install" >&2; exit 1; }
}

# free_ports N: the first of N consecutive ports nothing listens on.
free_ports() {
    local count=$1 first offset
    for _ in $(seq 1 50); do
        first=$(free_port)
        for ((offset = 1; offset < count; offset++)); do
            (exec 3<>"/dev/tcp/127.0.0.1/$((first + offset))") 2>/dev/null && continue 2
        done
        echo "$first"
        return 0
    done
    return 1
}

start_node() {
    local dir=$1 port=$2
    if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        chown postgres "$dir" 2>/dev/null || true
        as_postgres "$pg_bin/initdb" --pgdata="$dir" --username=postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
            || { echo "citus.sh: initdb failed, see $dir.initdb.log" >&2; exit 1; }
    fi
    as_postgres "$pg_bin/pg_ctl" start --pgdata="$dir" --wait --timeout=60 --log="$dir/server.log" \
        --options="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' \
            -c shared_preload_libraries=citus -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c max_connections=400 -c max_prepared_transactions=200 \
            -c max_worker_processes=64 -c citus.shard_count=${CITUS_SHARD_COUNT:-8} ${CITUS_OPTIONS:-}" >/dev/null \
        || { echo "citus.sh: the node on port $port did not start; see $dir/server.log" >&2; tail -5 "$dir/server.log" >&2; exit 1; }
}

start() {
    local base=${1:?usage: citus.sh start DIR PORT} port=${2:?usage: citus.sh start DIR PORT}
    install
    mkdir -p "$base"
    chmod 755 "$base"
    start_node "$base/coordinator" "$port"
    start_node "$base/worker1" $((port + 1))
    start_node "$base/worker2" $((port + 2))
    cat >"$base/citus.env" <<ENV
MPMP_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable
MPMP_TEST_CITUS_WORKERS=127.0.0.1:$((port + 1)),127.0.0.1:$((port + 2))
MPMP_TEST_POSTGRES_PORT=$port
ENV
}

stop() {
    local base=${1:?usage: citus.sh stop DIR} node
    for node in coordinator worker1 worker2; do
        if [ -f "$base/$node/postmaster.pid" ]; then
            as_postgres "$pg_bin/pg_ctl" stop --pgdata="$base/$node" --mode=fast --wait >/dev/null || true
        fi
    done
}

with() {
    local port
    cluster_base=$(mktemp -d "${TMPDIR:-/tmp}/mpmp-citus.XXXXXX")
    port=$(free_ports 3)
    trap 'stop "$cluster_base"; rm -rf "$cluster_base"' EXIT
    start "$cluster_base" "$port"
    set -a
    # shellcheck disable=SC1091
    source "$cluster_base/citus.env"
    set +a
    "$@"
}

case "${1:-}" in
    install) install ;;
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    with) shift; with "$@" ;;
    *) echo "usage: citus.sh install | start DIR PORT | stop DIR | with COMMAND..." >&2; exit 2 ;;
esac
