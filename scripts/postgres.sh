#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for development and tests.
#
#   scripts/postgres.sh start DIR PORT   create the cluster in DIR once, then start it on 127.0.0.1:PORT
#   scripts/postgres.sh stop DIR         stop it (fast shutdown)
#
# The cluster lives in DIR/cluster; DIR/credentials.env holds the superuser and service
# passwords generated when the cluster was created. When started as root, initdb and
# pg_ctl run as the `postgres` OS user (initdb refuses root). When initdb is missing,
# the PostgreSQL packages are installed with apt-get.
set -euo pipefail

command_name=${1:?usage: postgres.sh start|stop DIR [PORT]}
base_dir=${2:?usage: postgres.sh start|stop DIR [PORT]}
port=${3:-54329}
cluster_dir="$base_dir/cluster"
credentials="$base_dir/credentials.env"

find_bin() {
    local tool=$1 candidate
    for candidate in /usr/lib/postgresql/15/bin/$tool /usr/lib/postgresql/*/bin/$tool; do
        if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
    done
    command -v "$tool" 2>/dev/null
}

install_postgres() {
    echo "postgres.sh: initdb not found; installing PostgreSQL with apt-get" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

as_cluster_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

random_secret() {
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

start() {
    local initdb pg_ctl
    initdb=$(find_bin initdb || true)
    if [ -z "$initdb" ]; then
        install_postgres
        initdb=$(find_bin initdb)
    fi
    pg_ctl=$(find_bin pg_ctl)

    mkdir -p "$base_dir"
    chmod 755 "$base_dir"
    if [ ! -f "$cluster_dir/PG_VERSION" ]; then
        rm -rf "$cluster_dir"
        mkdir -p "$cluster_dir"
        local superuser_password service_password password_file
        superuser_password=$(random_secret)
        service_password=$(random_secret)
        password_file=$(mktemp)
        printf '%s\n' "$superuser_password" >"$password_file"
        if [ "$(id -u)" = 0 ]; then
            chown postgres "$cluster_dir" "$password_file"
        fi
        as_cluster_owner "$initdb" --pgdata="$cluster_dir" --username=postgres \
            --pwfile="$password_file" --auth=scram-sha-256 --encoding=UTF8 \
            --locale=C.UTF-8 >"$base_dir/initdb.log" 2>&1 || {
            rm -f "$password_file"
            echo "postgres.sh: initdb failed, see $base_dir/initdb.log" >&2
            exit 1
        }
        rm -f "$password_file"
        umask 077
        cat >"$credentials" <<CREDENTIALS
SUPERUSER_PASSWORD=$superuser_password
SERVICE_PASSWORD=$service_password
CREDENTIALS
    fi

    if as_cluster_owner "$pg_ctl" status --pgdata="$cluster_dir" >/dev/null 2>&1; then
        return 0
    fi
    as_cluster_owner "$pg_ctl" start --pgdata="$cluster_dir" --wait --timeout=60 \
        --log="$cluster_dir/server.log" \
        --options="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' ${POSTGRES_OPTIONS:-}" \
        >/dev/null || {
        echo "postgres.sh: PostgreSQL did not start on port $port; see $cluster_dir/server.log" >&2
        tail -5 "$cluster_dir/server.log" >&2 || true
        exit 1
    }
}

stop() {
    local pg_ctl
    pg_ctl=$(find_bin pg_ctl)
    if [ -f "$cluster_dir/postmaster.pid" ]; then
        as_cluster_owner "$pg_ctl" stop --pgdata="$cluster_dir" --mode=fast --wait >/dev/null
    fi
}

case "$command_name" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: postgres.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
