# Sourced by the scripts that start servers: a TCP port nothing listens on now, below the
# kernel's range of ephemeral ports (from /proc/sys/net/ipv4/ip_local_port_range, usually
# 32768-60999), so that no outgoing connection can be holding it as its local port when a
# server binds it.
free_port() {
    local candidate low=32768
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
    [ "$low" -gt 11000 ] || low=32768
    for candidate in $(seq $((10000 + RANDOM % (low - 11000))) $((low - 1))); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# start_sink LOG MAILDIR [smtp-sink.py options]: an SMTP sink (scripts/smtp-sink.py, from the
# .venv of scripts/python-tools.sh) on a free port, three tries; sets `sink` (its pid, empty
# when it did not start) and `smtp_port`.
start_sink() {
    local log=$1 maildir=$2
    shift 2
    sink=""
    for _ in 1 2 3; do
        smtp_port=$(free_port)
        "$root/.venv/bin/python" "$root/scripts/smtp-sink.py" --port "$smtp_port" --maildir "$maildir" "$@" >"$log" 2>&1 &
        sink=$!
        for _ in $(seq 1 100); do grep -q ready "$log" && break; kill -0 "$sink" 2>/dev/null || break; sleep 0.1; done
        grep -q ready "$log" && return 0
        kill "$sink" 2>/dev/null
        sink=""
    done
    return 1
}

# start_server LOG [VARIABLE=value ...]: `mpmp serve` with those variables on a free port
# (PUBLIC_BASE_URL names it) until /health/ready answers (a minute at most), three tries
# when the port is taken meanwhile; sets `server` (its pid, empty when it did not start),
# `http_port` and `base`.
start_server() {
    local log=$1
    shift
    server=""
    for _ in 1 2 3; do
        http_port=$(free_port)
        base="http://127.0.0.1:$http_port"
        env "$@" PORT="$http_port" PUBLIC_BASE_URL="$base" "$root/.build/debug/mpmp" serve >"$log" 2>&1 &
        server=$!
        for _ in $(seq 1 600); do
            curl -sf "$base/health/ready" >/dev/null && break
            kill -0 "$server" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$server" 2>/dev/null && return 0
        wait "$server"
        server=""
        grep -q "already in use" "$log" || return 1
    done
    return 1
}

# A new database NAME in the test cluster (MPMP_TEST_DATABASE_URL, MPMP_TEST_POSTGRES_PORT),
# migrated and loaded with the demo; sets `service`, the URL its service role connects with.
# The setup's output goes to LOG.
demo_database() {
    local name=$1 log=$2
    local admin_password port owner
    admin_password=$(sed -E 's|^postgres://[^:]+:([^@]+)@.*|\1|' <<<"$MPMP_TEST_DATABASE_URL")
    port=$MPMP_TEST_POSTGRES_PORT
    PGOPTIONS=--client-min-messages=warning PGPASSWORD=$admin_password psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc \
        "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null || return 1
    owner="postgres://postgres:$admin_password@127.0.0.1:$port/$name?sslmode=disable"
    service="postgres://${name}_service:${name}-service-password@127.0.0.1:$port/$name?sslmode=disable"
    { DATABASE_URL=$owner APP_DATABASE_URL=$service LOG_LEVEL=error "$root/.build/debug/mpmp" migrate \
        && APP_DATABASE_URL=$service LOG_LEVEL=error "$root/.build/debug/mpmp" demo; } >"$log" 2>&1
}
