# shellcheck shell=bash disable=SC2034,SC2016
# Sourced by the benchmarks in this folder: the throwaway cluster, the tools, the release
# binary, a server, a tenant with its CEO, and the result rows of the final table.
#
# A benchmark script calls `bench_begin "$0" "$@"` first. Started alone, it re-executes
# itself inside scripts/with-test-postgres.sh and prints its own table at the end; started by
# Benchmarks/bench.sh (BENCH_RESULTS set), it adds its rows to the suite's table.
#
# Environment: MPMP_BIN (the release binary; otherwise `swift build -c release --product mpmp`
# here and .build/release/mpmp), BENCH_SECONDS (wrk and pgbench duration, default 15).

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/ports.sh
source "$bench_root/scripts/ports.sh"
# psql and pgbench: no notices, and no statement runs longer than five minutes.
export PGOPTIONS="-c client_min_messages=warning -c statement_timeout=300s"

bench_exit_actions=()
bench_on_exit() { bench_exit_actions+=("$1"); }
bench_run_exit_actions() {
    local status=$? i
    for ((i = ${#bench_exit_actions[@]} - 1; i >= 0; i--)); do eval "${bench_exit_actions[i]}" || true; done
    return $status
}

bench_begin() {
    local script=$1; shift
    : "${BENCH_STARTED:=$(now_ms)}" "${BENCH_LOAD:=$(cut -d' ' -f1 /proc/loadavg)}"
    export BENCH_STARTED BENCH_LOAD
    if [ -z "${MPMP_TEST_DATABASE_URL:-}" ]; then
        exec "$bench_root/scripts/with-test-postgres.sh" "$script" "$@"
    fi
    trap bench_run_exit_actions EXIT
    bench_work=$(mktemp -d "${TMPDIR:-/tmp}/mpmp-bench.XXXXXX")
    bench_on_exit 'rm -rf "$bench_work"'
    if [ -z "${BENCH_RESULTS:-}" ]; then
        export BENCH_RESULTS=$bench_work/results.tsv
        : >"$BENCH_RESULTS"
        bench_on_exit bench_finish
    fi
    bench_seconds=${BENCH_SECONDS:-15}
    pg_port=$MPMP_TEST_POSTGRES_PORT
    pg_password=$(sed -nE 's|^postgres://[^:/@]+:([^@]+)@.*|\1|p' <<<"$MPMP_TEST_DATABASE_URL")
    # A Citus cluster of scripts/citus.sh trusts the loopback: any password will do.
    : "${pg_password:=trusted}"
    bench_tools
    bench_binary
}

bench_log() { printf '%s\n' "$*" >&2; }
bench_fail() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# wrk, pgbench (in PostgreSQL 15's server package on Debian), jq and curl; apt-get installs
# whatever is missing, as scripts/postgres.sh does for PostgreSQL.
bench_tools() {
    local missing=() candidate
    command -v wrk >/dev/null || missing+=(wrk)
    command -v jq >/dev/null || missing+=(jq)
    command -v curl >/dev/null || missing+=(curl)
    command -v psql >/dev/null || missing+=(postgresql-client)
    pgbench_bin=""
    for candidate in /usr/lib/postgresql/15/bin/pgbench /usr/lib/postgresql/*/bin/pgbench "$(command -v pgbench || true)"; do
        if [ -x "$candidate" ]; then pgbench_bin=$candidate; break; fi
    done
    [ -n "$pgbench_bin" ] || missing+=(postgresql-15)
    if [ ${#missing[@]} -gt 0 ]; then
        bench_log "bench: installing ${missing[*]} with apt-get"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        for candidate in /usr/lib/postgresql/15/bin/pgbench /usr/lib/postgresql/*/bin/pgbench; do
            if [ -z "$pgbench_bin" ] && [ -x "$candidate" ]; then pgbench_bin=$candidate; fi
        done
    fi
    [ -x "$pgbench_bin" ] || bench_fail "pgbench not found"
}

# The release binary: $MPMP_BIN, or built here once (Benchmarks/bench.sh exports it).
bench_binary() {
    if [ -z "${MPMP_BIN:-}" ]; then
        local build_log=$bench_work/build.log
        bench_log "bench: swift build -c release --product mpmp"
        (cd "$bench_root" && swift build -c release --product mpmp) >"$build_log" 2>&1 || { cat "$build_log" >&2; exit 1; }
        MPMP_BIN=$bench_root/.build/release/mpmp
    fi
    [ -x "$MPMP_BIN" ] || bench_fail "MPMP_BIN=$MPMP_BIN is not an executable"
    MPMP_BIN="$(cd "$(dirname "$MPMP_BIN")" && pwd)/$(basename "$MPMP_BIN")"
    export MPMP_BIN
}

# psql as the cluster's superuser (owner of every table) on database $1; SQL on standard
# input, with -v NAME=VALUE variables for :'NAME'.
psql_owner() {
    local database=$1; shift
    PGPASSWORD=$pg_password psql -X -h 127.0.0.1 -p "$pg_port" -U postgres -d "$database" -v ON_ERROR_STOP=1 -qtA "$@"
}
# psql as the service role, as the server connects.
psql_service() {
    local database=$1; shift
    PGPASSWORD=bench-password psql -X -h 127.0.0.1 -p "$pg_port" -U mpmp_bench -d "$database" -v ON_ERROR_STOP=1 -qtA "$@"
}

# A fresh database $1, migrated, with the service role mpmp_bench and a Center admin.
# On a Citus cluster (MPMP_TEST_CITUS_WORKERS, as scripts/citus.sh sets it) the database is
# made on every node, with the extension, before `mpmp migrate` distributes the schema.
bench_database() {
    bench_db=$1
    psql_owner postgres -c "DROP DATABASE IF EXISTS $bench_db" -c "CREATE DATABASE $bench_db"
    if [ -n "${MPMP_TEST_CITUS_WORKERS:-}" ]; then
        local worker
        for worker in $(bench_citus_workers); do
            psql -X -h "${worker%:*}" -p "${worker#*:}" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA \
                -c "DROP DATABASE IF EXISTS $bench_db" -c "CREATE DATABASE $bench_db" >/dev/null
            psql -X -h "${worker%:*}" -p "${worker#*:}" -U postgres -d "$bench_db" -v ON_ERROR_STOP=1 -qtA \
                -c "CREATE EXTENSION citus" >/dev/null
        done
        psql_owner "$bench_db" -c "CREATE EXTENSION citus" >/dev/null
        psql_owner "$bench_db" -c "SELECT citus_set_coordinator_host('127.0.0.1', $pg_port)" >/dev/null
        for worker in $(bench_citus_workers); do
            psql_owner "$bench_db" -c "SELECT citus_add_node('${worker%:*}', ${worker#*:})" >/dev/null
        done
    fi
    owner_url="postgres://postgres:$pg_password@127.0.0.1:$pg_port/$bench_db?sslmode=disable"
    service_url="postgres://mpmp_bench:bench-password@127.0.0.1:$pg_port/$bench_db?sslmode=disable"
    DATABASE_URL=$owner_url APP_DATABASE_URL=$service_url LOG_LEVEL=error "$MPMP_BIN" migrate >/dev/null
    printf 'bench-admin-password\n' | DATABASE_URL=$owner_url LOG_LEVEL=error "$MPMP_BIN" admin create --email admin@bench.example --name "Bench Admin" >/dev/null
}

# `mpmp serve` on a free loopback port for $bench_db: sets server_pid and base. Its pool
# holds twice the database's cores plus one connections (DATABASE_POOL_SIZE, unless set),
# as an operator would size it for the database, which runs on this machine: on 2 cores, 5
# connections against the default 10 served as many dashboards with half the p99.
bench_serve() {
    local http_port code=""
    http_port=$(free_port)
    base="http://127.0.0.1:$http_port"
    DATABASE_POOL_SIZE=${DATABASE_POOL_SIZE:-$((2 * $(nproc) + 1))} \
        APP_DATABASE_URL=$service_url HOST=127.0.0.1 PORT=$http_port LOG_LEVEL=error "$MPMP_BIN" serve >"$bench_work/serve-$bench_db.log" 2>&1 &
    server_pid=$!
    bench_on_exit "bench_stop_pid $server_pid"
    for _ in $(seq 1 600); do
        code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$base/health/ready" || true)
        [ "$code" = 200 ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$bench_work/serve-$bench_db.log" >&2
    bench_fail "the server did not become ready (last status '$code')"
}

# SIGTERM, up to ten seconds to stop, then SIGKILL.
bench_stop_pid() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
bench_stop_server() { bench_stop_pid "$server_pid"; }

# api TOKEN METHOD PATH [BODY [CONTENT-TYPE]]: prints the answer's body; fails on a status
# of 300 or more, showing the problem.
api() {
    local token=$1 method=$2 path=$3 body=${4:-} type=${5:-application/json} status
    local args=(-s --max-time 120 -o "$bench_work/answer" -w '%{http_code}' -X "$method" -H "Content-Type: $type")
    [ -z "$token" ] || args+=(-H "Authorization: Bearer $token")
    if [ -n "$body" ]; then
        if [ "${body:0:1}" = @ ]; then args+=(--data-binary "$body"); else args+=(--data-binary "@-"); fi
    fi
    status=$(printf '%s' "$body" | curl "${args[@]}" "$base$path") || bench_fail "$method $path: curl failed"
    if [ "$status" -ge 300 ]; then
        bench_fail "$method $path answered $status: $(head -c 2000 "$bench_work/answer")"
    fi
    cat "$bench_work/answer"
}

login() {
    api "" POST /v1/auth/login "$(jq -nc --arg email "$1" --arg password "$2" '{email: $email, password: $password}')" | jq -er .token
}

# The catalogue, one tenant (Lowell), a department, and the tenant's CEO, who accepted a
# Center admin's invitation: sets admin_token, tenant, department, ceo_token, ceo_id.
bench_tenant_with_ceo() {
    local mail invitation_token
    admin_token=$(login admin@bench.example bench-admin-password)
    api "$admin_token" POST /v1/jurisdictions '{"code":"MA","name":"Massachusetts","fiscalYearStartMonth":7}' >/dev/null
    api "$admin_token" POST /v1/tenant-kinds '{"code":"municipality","name":"Municipality","executiveTitle":"Mayor"}' >/dev/null
    tenant=$(api "$admin_token" POST /v1/tenants '{"name":"Lowell","kind":"municipality","jurisdiction":"MA","population":108522}' | jq -er '.id | ascii_downcase')
    department=$(api "$admin_token" POST "/v1/tenants/$tenant/departments" '{"name":"Public Works"}' | jq -er '.id | ascii_downcase')
    api "$admin_token" POST "/v1/tenants/$tenant/invitations" '{"email":"ceo@lowell.example","role":"ceo"}' >/dev/null
    # The link travels only by mail: read it where the mail waits.
    mail=$(psql_owner "$bench_db" -c "SELECT body FROM outbox WHERE recipient = 'ceo@lowell.example'")
    invitation_token=$(grep -oE '/invitations/[A-Za-z0-9._~-]+' <<<"$mail" | head -1)
    invitation_token=${invitation_token#/invitations/}
    ceo_id=$(api "" POST "/v1/invitations/$invitation_token/accept" '{"displayName":"Lowell CEO","password":"bench-ceo-password"}' | jq -er '.id | ascii_downcase')
    ceo_token=$(login ceo@lowell.example bench-ceo-password)
}

# Creates monthly measures "$prefix 1" … "$prefix N" in $department as the CEO; prints
# nothing.
bench_measures() {
    local prefix=$1 count=$2 m
    for m in $(seq 1 "$count"); do
        api "$ceo_token" POST "/v1/tenants/$tenant/measures" "$(jq -nc --arg d "$department" --arg n "$prefix $m" \
            '{departmentId: $d, name: $n, unit: "days", direction: "lower", frequency: "monthly"}')" >/dev/null
    done
}

# bench_dashboard_data FISCAL_YEAR: with a server up (bench_serve), a tenant and its CEO, 50
# monthly measures with a target for the year and 36 monthly values each (July of the
# year three before to June of the year), imported by CSV; sets url (the CEO's dashboard
# of that year) and checks that it shows 50 measures of 12 points.
bench_dashboard_data() {
    local fiscal_year=$1 measures written shown id name m p
    bench_tenant_with_ceo
    bench_measures Measure 50
    measures=$(api "$ceo_token" GET "/v1/tenants/$tenant/measures?limit=100" | jq -r '.items[] | [.id, .name] | @tsv')
    {
        echo "measure,period,value"
        while IFS=$'\t' read -r id name; do
            api "$ceo_token" PUT "/v1/tenants/$tenant/measures/$id/targets/$fiscal_year" '{"value":10}' >/dev/null
            m=${name#Measure }
            for p in $(seq 0 35); do
                # July of fiscal_year - 3 (p = 0) to June of fiscal_year (p = 35)
                printf '%s,%04d-%02d-01,%d.5\n' "$name" $((fiscal_year - 3 + (p + 6) / 12)) $(((p + 6) % 12 + 1)) $(((m * 7 + p * 3) % 20))
            done
        done <<<"$measures"
    } >"$bench_work/dashboard.csv"
    written=$(api "$ceo_token" POST "/v1/tenants/$tenant/data-imports" "@$bench_work/dashboard.csv" text/csv | jq -r .written)
    [ "$written" = 1800 ] || bench_fail "dashboard: the import wrote $written data points, not 1800"
    psql_owner "$bench_db" -c "VACUUM ANALYZE"
    url="$base/v1/tenants/$tenant/dashboard?fy=$fiscal_year"
    shown=$(curl -sf --max-time 60 -H "Authorization: Bearer $ceo_token" "$url" | jq '[.measures[] | select((.points | length) == 12)] | length')
    [ "$shown" = 50 ] || bench_fail "dashboard: the CEO's dashboard shows $shown measures with 12 points, not 50"
}

# wrk_run OUTPUT SECONDS URL [wrk options…]: 2 threads, 32 connections, latency percentiles.
wrk_run() {
    local output=$1 seconds=$2 url=$3; shift 3
    wrk -t2 -c32 -d"${seconds}s" --latency "$@" "$url" >"$output" 2>&1 || { cat "$output" >&2; bench_fail "wrk failed on $url"; }
}
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
# The latency at percentile $2 (50%, 99%) in milliseconds.
wrk_latency_ms() {
    awk -v p="$2" '$1 == p && NF == 2 {
        v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
        if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
        printf "%.1f\n", v }' "$1"
}
# Non-2xx answers and socket errors (connect, read, write, timeout), 0 when none.
wrk_errors() {
    awk '/Non-2xx or 3xx responses:/ { n += $NF }
         /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { v = $i; sub(/,/, "", v); n += v } }
         END { print n + 0 }' "$1"
}

# CPU time (user + system) process $1 has used, in milliseconds.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%d\n", ($12 + $13) * 1000 / hz }' "/proc/$1/stat"; }
# CPU time the whole PostgreSQL cluster has used, in milliseconds: the postmaster, its live
# children and those it has reaped (backends of closed connections).
# On Citus: the coordinator's and the workers' together.
cluster_cpu_ms() {
    local postmaster child total=0 node
    for node in "127.0.0.1:$pg_port" $(bench_citus_workers); do
        postmaster=$(head -n 1 "$(PGPASSWORD=$pg_password psql -X -h "${node%:*}" -p "${node#*:}" -U postgres -d postgres -qtA \
            -c "SHOW data_directory")/postmaster.pid")
        total=$((total + $(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%d\n", ($12 + $13 + $14 + $15) * 1000 / hz }' "/proc/$postmaster/stat")))
        for child in $(pgrep -P "$postmaster"); do
            total=$((total + $(cpu_ms "$child" 2>/dev/null || echo 0)))
        done
    done
    echo "$total"
}
# The Citus workers as host:port words, none on plain PostgreSQL.
bench_citus_workers() { tr ',' ' ' <<<"${MPMP_TEST_CITUS_WORKERS:-}"; }
# Milliseconds since an arbitrary origin.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# The median of its arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# calc EXPRESSION [FORMAT]: floating-point arithmetic with awk.
calc() { awk "BEGIN { printf \"${2:-%.2f}\\n\", $1 }"; }
# yes or no: whether the awk condition holds.
holds() { awk "BEGIN { print ($1) ? \"yes\" : \"NO\" }"; }

# bench_row WORK FIGURE LIMIT RATIO BUDGET OK: one row of the final table; BENCH_LABEL, when
# set, names the cluster in front of WORK.
bench_row() {
    local work=$1; shift
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${BENCH_LABEL:+$BENCH_LABEL: }$work" "$@" >>"$BENCH_RESULTS"
}

# The table and a count of the budgets met, when the script that started the results ends
# (after a failure too, with the rows made so far). BENCH_STRICT=1: exit 1 when one is missed.
bench_finish() {
    local status=$? misses
    [ -s "$BENCH_RESULTS" ] || return 0
    bench_print_table "$BENCH_RESULTS"
    misses=$(awk -F'\t' '$6 == "NO"' "$BENCH_RESULTS" | wc -l)
    echo
    echo "$(awk -F'\t' '$6 == "yes"' "$BENCH_RESULTS" | wc -l) within budget, $misses over;" \
        "$(( ($(now_ms) - BENCH_STARTED) / 1000 )) s in all; load average $BENCH_LOAD at the start," \
        "$(cut -d' ' -f1 /proc/loadavg) at the end on $(nproc) cores (other work on the machine skews every figure)"
    echo "mpmp: $MPMP_BIN"
    if [ "$status" = 0 ] && [ "${BENCH_STRICT:-0}" = 1 ] && [ "$misses" != 0 ]; then exit 1; fi
}

bench_print_table() {
    local results=$1
    [ -s "$results" ] || return 0
    echo
    { printf 'work\tfigure\tlimit (same run)\tratio\tbudget\tok?\n'; cat "$results"; } | awk -F'\t' '
        { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } rows = NR; cols = (NF > cols) ? NF : cols }
        END {
            for (r = 1; r <= rows; r++) {
                line = ""
                for (i = 1; i <= cols; i++) line = line sprintf(i < cols ? "%-" w[i] "s | " : "%s", cell[r, i])
                print line
                if (r == 1) { sep = ""; for (i = 1; i <= cols; i++) { s = sprintf("%" w[i] "s", ""); gsub(/ /, "-", s); sep = sep s (i < cols ? "-+-" : "") } print sep }
            }
        }'
}
