#!/usr/bin/env bash
# Benchmark: how long `mpmp invoices run` takes for 1,000 and 10,000 enrollments.
#
#   Benchmarks/invoice-run.sh [SIZES...]     (default: 1000 10000)
#
# Release build, a throwaway PostgreSQL; for each size, five program years of N enrolled
# towns each, one run per year (a run bills each enrollment once, so every sample is a
# fresh one). Prints each sample and the median. Not a test: no limits are asserted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${MPMP_TEST_DATABASE_URL:-}" ]; then
    exec scripts/with-test-postgres.sh "$0" "$@"
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

build_log=$(mktemp)
if ! swift build -c release --product mpmp >"$build_log" 2>&1; then
    cat "$build_log" >&2
    exit 1
fi
mpmp="$root/.build/release/mpmp"
admin_password=$(sed -E 's|^postgres://[^:]+:([^@]+)@.*|\1|' <<<"$MPMP_TEST_DATABASE_URL")
port=$MPMP_TEST_POSTGRES_PORT
export PGOPTIONS=--client-min-messages=warning

for size in "${sizes[@]}"; do
    database="bench_invoices_$size"
    PGPASSWORD=$admin_password psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
    owner="postgres://postgres:$admin_password@127.0.0.1:$port/$database?sslmode=disable"
    service="postgres://mpmp_bench:bench-password@127.0.0.1:$port/$database?sslmode=disable"
    DATABASE_URL=$owner APP_DATABASE_URL=$service LOG_LEVEL=error "$mpmp" migrate
    PGPASSWORD=bench-password psql -h 127.0.0.1 -p "$port" -U mpmp_bench -d "$database" -v ON_ERROR_STOP=1 -q <<SQL
\set QUIET on
BEGIN;
SELECT set_config('app.all_tenants', 'on', true) \g /dev/null
INSERT INTO jurisdictions (code, name, fiscal_year_start_month) VALUES ('MA', 'Massachusetts', 7);
INSERT INTO tenant_kinds (code, name, executive_title) VALUES ('municipality', 'Municipality', 'Mayor');
INSERT INTO programs (code, name, jurisdiction_code) VALUES ('MPMP', 'MPMP', 'MA');
INSERT INTO program_years (program_code, fiscal_year, budget_cents) SELECT 'MPMP', y, 75000000 FROM generate_series(2015, 2019) y;
INSERT INTO fee_tiers (program_code, fiscal_year, minimum_size, fee_cents)
    SELECT 'MPMP', y, t.minimum, t.fee FROM generate_series(2015, 2019) y,
    (VALUES (0, 500000), (10000, 1000000), (50000, 1500000)) AS t(minimum, fee);
INSERT INTO tenants (tenant_id, name, tenant_kind_code, jurisdiction_code, population)
    SELECT gen_random_uuid(), 'Town ' || g, 'municipality', 'MA', (g * 7919) % 200000 FROM generate_series(1, $size) g;
INSERT INTO enrollments (tenant_id, program_code, fiscal_year, joined_on)
    SELECT t.tenant_id, 'MPMP', y, make_date(y - 1, 7, 1) + (abs(hashtext(t.name)) % 365)
    FROM tenants t, generate_series(2015, 2019) y;
COMMIT;
SQL
    PGPASSWORD=$admin_password psql -h 127.0.0.1 -p "$port" -U postgres -d "$database" -qc "ANALYZE"
    samples=()
    for year in 2015 2016 2017 2018 2019; do
        start=$(date +%s%N)
        APP_DATABASE_URL=$service LOG_LEVEL=error "$mpmp" invoices run --program MPMP --fy "$year" >/dev/null
        end=$(date +%s%N)
        samples+=($(( (end - start) / 1000000 )))
    done
    sorted=($(printf '%s\n' "${samples[@]}" | sort -n))
    echo "invoice run, $size enrollments: samples ${samples[*]} ms; median ${sorted[2]} ms (whole command: connect, run, commit)"
done
