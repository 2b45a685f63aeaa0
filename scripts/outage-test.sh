#!/usr/bin/env bash
# shellcheck disable=SC2016,SC2317  # awk programs in single quotes; cleanup runs from the trap
# An outage under load (issue 11 §4): `mpmp serve` on a PostgreSQL cluster of its own, eight
# clients reading in a loop, and PostgreSQL stopped in the middle, then started again.
# While it is down every answer is 200 (before the stop took effect) or 503 with Retry-After
# and a problem document: never 500, never a request that hangs (curl's --max-time), and
# the server lives on; /health/ready answers 503. Once PostgreSQL is back, 200s come back.
# Needs a debug build (.build/debug/mpmp) and PostgreSQL 15 (scripts/postgres.sh).
# KEEP=1 keeps the answers and the server's log; SERVE_LOG_LEVEL sets its level (warning).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mpmp="$root/.build/debug/mpmp"
lease_timeout=1
# The longest a request may take: the lease timeout, the pool's connect timeout (5 s), a margin.
max_time=$((lease_timeout + 5 + 4))
clients=8
outage_seconds=4
work=$(mktemp -d)
cluster=$(mktemp -d "${TMPDIR:-/tmp}/mpmp-outage-postgres.XXXXXX")
passed=0
failed=0
server=""
loaders=()
cleanup() {
    touch "$work/stop"
    for pid in "${loaders[@]}"; do kill "$pid" 2>/dev/null; done
    if [ -n "$server" ]; then kill -KILL "$server" 2>/dev/null; wait "$server" 2>/dev/null; fi
    "$root/scripts/postgres.sh" stop "$cluster" >/dev/null 2>&1 || true
    if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; rm -rf "$cluster"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); echo "✔ $1"; }
fail() { failed=$((failed + 1)); echo "✘ $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2"; }
finish() {
    echo "outage: $passed passed, $failed failed"
    exit $((failed > 0))
}
# shellcheck source=ports.sh
source "$root/scripts/ports.sh"

# Its own cluster: stopping it must not touch the one the other tests use.
pg_port=$(free_port)
if ! POSTGRES_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    "$root/scripts/postgres.sh" start "$cluster" "$pg_port" >"$work/postgres" 2>&1; then
    fail "setup: start PostgreSQL" "$work/postgres"
    finish
fi
# shellcheck disable=SC1091
source "$cluster/credentials.env"
export PGOPTIONS=--client-min-messages=warning
owner="postgres://postgres:$SUPERUSER_PASSWORD@127.0.0.1:$pg_port/mpmp_outage?sslmode=disable"
service="postgres://mpmp_outage_service:outage-password@127.0.0.1:$pg_port/mpmp_outage?sslmode=disable"
if ! { PGPASSWORD=$SUPERUSER_PASSWORD psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE mpmp_outage" \
    && DATABASE_URL=$owner APP_DATABASE_URL=$service LOG_LEVEL=error "$mpmp" migrate \
    && APP_DATABASE_URL=$service LOG_LEVEL=error "$mpmp" demo; } >"$work/setup" 2>&1; then
    fail "setup: migrate and load the demo" "$work/setup"
    finish
fi

start_server "$work/serve" APP_DATABASE_URL="$service" LOG_LEVEL="${SERVE_LOG_LEVEL:-warning}" \
    DATABASE_LEASE_TIMEOUT="$lease_timeout" || true
token=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"email":"director@mpmp.demo","password":"demo-director-2015"}' \
    "$base/v1/auth/login" | sed -nE 's/.*"token":"([^"]+)".*/\1/p')
if [ -z "$token" ]; then
    fail "setup: serve and sign in as the demo director" "$work/serve"
    finish
fi

# One client: GET `path` until told to stop; a line per answer:
# phase|curl exit|HTTP status|seconds|Retry-After|problem document (yes/no)
# The phase is the one the request started in, or "start>end" when it changed meanwhile.
set_phase() { echo "$1" >"$work/phase.next" && mv "$work/phase.next" "$work/phase"; }
set_phase baseline
load() {
    local path=$1 out=$2 phase ended result status retry problem
    while [ ! -e "$work/stop" ]; do
        phase=$(<"$work/phase")
        rm -f "$out.headers" "$out.body"
        result=$(curl -s -o "$out.body" -D "$out.headers" --max-time "$max_time" -w '%{http_code}|%{time_total}' \
            -H "Authorization: Bearer $token" "$base$path")
        status=$?
        ended=$(<"$work/phase")
        [ "$ended" = "$phase" ] || phase="$phase>$ended"
        retry=$(tr -d '\r' <"$out.headers" 2>/dev/null | sed -nE 's/^[Rr]etry-[Aa]fter: *//p' | head -1)
        problem=no
        if tr -d '\r' <"$out.headers" 2>/dev/null | grep -qi '^content-type: application/problem+json' \
            && grep -q '"status":503' "$out.body" 2>/dev/null; then
            problem=yes
        fi
        echo "$phase|$status|$result|${retry:--}|$problem" >>"$out"
    done
}
for i in $(seq 1 "$clients"); do
    if [ $((i % 2)) -eq 0 ]; then path=/v1/tenants; else path=/v1/me; fi
    load "$path" "$work/client$i" &
    loaders+=($!)
done

sleep 2
set_phase outage
if "$root/scripts/postgres.sh" stop "$cluster" >"$work/postgres" 2>&1; then
    pass "PostgreSQL stopped under load"
else
    fail "stop PostgreSQL" "$work/postgres"
fi
sleep "$outage_seconds"
ready=$(curl -s -o "$work/ready" -D "$work/ready.headers" -w '%{http_code}' --max-time "$max_time" "$base/health/ready")
if [ "$ready" = 503 ] && grep -qi '^retry-after:' "$work/ready.headers"; then
    pass "/health/ready answers 503 with Retry-After while PostgreSQL is down"
else
    fail "/health/ready answered '$ready' while PostgreSQL is down" "$work/ready"
fi
if kill -0 "$server" 2>/dev/null; then
    pass "the server is still running"
else
    fail "the server died during the outage" "$work/serve"
fi

set_phase recovery
if POSTGRES_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    "$root/scripts/postgres.sh" start "$cluster" "$pg_port" >"$work/postgres" 2>&1; then
    pass "PostgreSQL started again"
else
    fail "start PostgreSQL again" "$work/postgres"
fi
# The pool retries on a back-off that is short after an outage this short; 30 s is generous.
recovered=""
for attempt in $(seq 1 60); do
    me=$(curl -s -o /dev/null -w '%{http_code}' --max-time "$max_time" -H "Authorization: Bearer $token" "$base/v1/me")
    ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time "$max_time" "$base/health/ready")
    if [ "$me" = 200 ] && [ "$ready" = 200 ]; then recovered=$attempt; break; fi
    sleep 0.5
done
if [ -n "$recovered" ]; then
    pass "requests answer 200 again once PostgreSQL is back (attempt $recovered)"
else
    fail "no 200 from /v1/me and /health/ready within 60 attempts after PostgreSQL came back" "$work/serve"
fi
set_phase recovered
sleep 1
touch "$work/stop"
wait "${loaders[@]}" 2>/dev/null
loaders=()

cat "$work"/client? >"$work/answers"
count() { awk -F'|' "$1" "$work/answers" | wc -l; }
summary() { awk -F'|' '{ print $1, "curl=" $2, "HTTP " $3 }' "$work/answers" | sort | uniq -c | sed 's/^ */    /'; }
echo "  answers by phase:"
summary

baseline_total=$(count '$1 == "baseline"')
baseline_bad=$(count '$1 == "baseline" && !($2 == 0 && $3 == 200)')
if [ "$baseline_total" -gt 0 ] && [ "$baseline_bad" -eq 0 ]; then
    pass "before the outage: $baseline_total answers, all 200"
else
    fail "before the outage: $baseline_bad of $baseline_total answers were not 200"
fi

hung=$(count '$2 != 0')
if [ "$hung" -eq 0 ]; then
    pass "no request hung or failed at the connection (curl --max-time $max_time s)"
else
    awk -F'|' '$2 != 0' "$work/answers" | head -5 >"$work/hung"
    fail "$hung request(s) timed out or failed at the connection" "$work/hung"
fi

outage_total=$(count '$1 ~ /outage|recovery/')
unavailable=$(count '$1 ~ /outage|recovery/ && $3 == 503')
wrong=$(count '$2 == 0 && $3 != 200 && !($3 == 503 && $5 != "-" && $6 == "yes")')
if [ "$wrong" -eq 0 ] && [ "$unavailable" -ge "$clients" ]; then
    pass "during the outage: $outage_total answers, $unavailable of them 503 with Retry-After and a problem document, the rest 200"
else
    awk -F'|' '$2 == 0 && $3 != 200 && !($3 == 503 && $5 != "-" && $6 == "yes")' "$work/answers" | head -5 >"$work/wrong"
    fail "during the outage: $wrong answer(s) neither 200 nor a 503 problem with Retry-After; $unavailable 503s" "$work/wrong"
fi

slowest=$(awk -F'|' '$3 == 503 { if ($4 > max) max = $4 } END { print max + 0 }' "$work/answers")
if awk -v s="$slowest" -v limit="$((lease_timeout + 5))" 'BEGIN { exit !(s <= limit) }'; then
    pass "the slowest 503 took ${slowest} s (lease timeout $lease_timeout s)"
else
    fail "a 503 took ${slowest} s, more than the lease timeout and the connect timeout"
fi

recovered_total=$(count '$1 == "recovered"')
recovered_bad=$(count '$1 == "recovered" && !($2 == 0 && $3 == 200)')
if [ "$recovered_total" -gt 0 ] && [ "$recovered_bad" -eq 0 ]; then
    pass "after the recovery: $recovered_total answers, all 200"
else
    fail "after the recovery: $recovered_bad of $recovered_total answers were not 200" "$work/serve"
fi

# A request still waiting on the database would hold the graceful shutdown up.
if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    for _ in $(seq 1 150); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server" 2>/dev/null; then
        fail "the server did not stop within 15 s of SIGTERM (a request still waits?)" "$work/serve"
    else
        wait "$server"; status=$?
        server=""
        if [ "$status" -eq 0 ]; then pass "the server lived through the outage and stops gracefully on SIGTERM"; else fail "the server exited $status on SIGTERM" "$work/serve"; fi
    fi
else
    fail "the server died" "$work/serve"
fi
finish
