#!/usr/bin/env bash
# Benchmark: the tenant dashboard (50 measures, 36 monthly periods each) under 32 concurrent
# clients, through the API (wrk) and as the bare SQL transaction (pgbench -M prepared).
#
#   Benchmarks/dashboard.sh [SECONDS]      (default 20 per tool)
#
# Release build, a throwaway PostgreSQL, the server on 127.0.0.1. Installs wrk with apt-get
# when missing. Not a test: it prints figures and asserts nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${MPMP_TEST_DATABASE_URL:-}" ]; then
    exec scripts/with-test-postgres.sh "$0" "$@"
fi
duration=${1:-20}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
build_log=$(mktemp)
if ! swift build -c release --product mpmp >"$build_log" 2>&1; then cat "$build_log" >&2; exit 1; fi
mpmp="$root/.build/release/mpmp"
admin_password=$(sed -E 's|^postgres://[^:]+:([^@]+)@.*|\1|' <<<"$MPMP_TEST_DATABASE_URL")
port=$MPMP_TEST_POSTGRES_PORT
source "$root/scripts/ports.sh"
http_port=$(free_port)
export PGOPTIONS=--client-min-messages=warning
PGPASSWORD=$admin_password psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE bench_dashboard"
owner="postgres://postgres:$admin_password@127.0.0.1:$port/bench_dashboard?sslmode=disable"
service="postgres://mpmp_bench:bench-password@127.0.0.1:$port/bench_dashboard?sslmode=disable"
DATABASE_URL=$owner APP_DATABASE_URL=$service LOG_LEVEL=error "$mpmp" migrate
printf 'bench-admin-password\n' | DATABASE_URL=$owner LOG_LEVEL=error "$mpmp" admin create --email bench@example.org >/dev/null

APP_DATABASE_URL=$service PORT=$http_port LOG_LEVEL=error DATABASE_POOL_SIZE=${POOL_SIZE:-16} "$mpmp" serve &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null && break; sleep 0.1; done

api() { curl -sf -X "$1" -H "Authorization: Bearer $token" -H "Content-Type: ${4:-application/json}" ${3:+--data-binary "$3"} "http://127.0.0.1:$http_port$2"; }
token=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"email":"bench@example.org","password":"bench-admin-password"}' "http://127.0.0.1:$http_port/v1/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/')
api POST /v1/jurisdictions '{"code":"MA","name":"Massachusetts","fiscalYearStartMonth":7}' >/dev/null
api POST /v1/tenant-kinds '{"code":"municipality","name":"Municipality","executiveTitle":"Mayor"}' >/dev/null
tenant=$(api POST /v1/tenants '{"name":"Lowell","kind":"municipality","jurisdiction":"MA","population":108522}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
department=$(api POST "/v1/tenants/$tenant/departments" '{"name":"Public Works"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
csv="measure,period,value"
for m in $(seq 1 50); do
    measure=$(api POST "/v1/tenants/$tenant/measures" "{\"departmentId\":\"$department\",\"name\":\"Measure $m\",\"unit\":\"days\",\"direction\":\"lower\",\"frequency\":\"monthly\"}" | sed -E 's/.*"id":"([^"]+)".*/\1/')
    api PUT "/v1/tenants/$tenant/measures/$measure/targets/2015" '{"value":10}' >/dev/null
    for p in $(seq 0 35); do
        year=$((2012 + (p + 6) / 12)); month=$(( (p + 6) % 12 + 1 ))
        csv+=$'\n'"Measure $m,$year-$(printf %02d $month)-01,$(( (m * 7 + p * 3) % 20 )).5"
    done
done
api POST "/v1/tenants/$tenant/data-imports" "$csv" text/csv >/dev/null
api POST "/v1/tenants/$tenant/invitations" '{"email":"ceo@lowell.example","role":"ceo"}' >/dev/null
PGPASSWORD=$admin_password psql -h 127.0.0.1 -p "$port" -U postgres -d bench_dashboard -qc "ANALYZE"

echo "== API: GET /v1/tenants/{t}/dashboard, 32 connections, ${duration}s (wrk, 2 threads) =="
wrk -t2 -c32 -d"${duration}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$http_port/v1/tenants/$tenant/dashboard?fy=2015" \
    | grep -E "Latency|50%|75%|90%|99%|Requests/sec|requests in|Non-2xx"
ps -o rss= -p "$server" | awk '{printf "server resident memory after the run: %.0f MB\n", $1 / 1024}'

echo "== SQL: the same transaction through pgbench -M prepared, 32 clients, ${duration}s =="
script=$(mktemp)
cat >"$script" <<SQL
BEGIN;
SELECT set_config('app.tenant_ids', '{$tenant}', true), set_config('app.all_tenants', 'off', true);
SELECT m.tenant_id, m.id, m.department_id, m.name, m.definition, m.unit, m.direction, m.frequency, m.owner_id, m.template_id, m.sharing, t.target_value::text, t.tolerance_bp, p.periods, p.vals FROM measures m LEFT JOIN targets t ON t.tenant_id = m.tenant_id AND t.measure_id = m.id AND t.fiscal_year = 2015 LEFT JOIN LATERAL (SELECT array_agg(recent.period::text ORDER BY recent.period) AS periods, array_agg(recent.value::text ORDER BY recent.period) AS vals FROM (SELECT d.period, d.value FROM data_points d WHERE d.tenant_id = m.tenant_id AND d.measure_id = m.id ORDER BY d.period DESC LIMIT 12) recent) p ON true WHERE m.tenant_id = ANY('{$tenant}'::uuid[]) AND (NULL::uuid IS NULL OR m.department_id = NULL::uuid) ORDER BY m.tenant_id, m.name, m.id;
COMMIT;
SQL
PGPASSWORD=bench-password pgbench -h 127.0.0.1 -p "$port" -U mpmp_bench -n -M prepared -c 32 -j 2 -T "$duration" -f "$script" bench_dashboard \
    | grep -E "tps|latency average"
