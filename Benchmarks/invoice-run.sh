#!/usr/bin/env bash
# Benchmark: how long `mpmp invoices run` takes for 1,000 and 10,000 enrollments, against one
# set-based INSERT ... SELECT of the same drafts (DESIGN.md section 10's limit).
#
#   Benchmarks/invoice-run.sh [SIZES...]     (default: 1000 10000)
#
# For each size, ten program years of N enrolled towns each: FY2015-FY2019 for `mpmp invoices
# run`, FY2020-FY2024 for the INSERT ... SELECT through psql, one run per year (a run bills
# each enrollment once, so every sample is a fresh one); the median of five of each. Both
# times are whole commands (start, connect, run, commit), as the service role with every
# tenant in sight. Budget: 10,000 enrollments under 3 s, time growing linearly.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_begin "$0" "$@"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

first_per_thousand=""
for size in "${sizes[@]}"; do
    bench_log "invoice run: $size enrollments"
    bench_database "bench_invoices_$size"
    psql_service "$bench_db" -v size="$size" <<'SQL'
BEGIN;
-- The global tables are the Center admins' (migration 0008).
SET LOCAL ROLE mpmp_center_admin;
SELECT set_config('app.all_tenants', 'on', true) \g /dev/null
INSERT INTO jurisdictions (code, name, fiscal_year_start_month) VALUES ('MA', 'Massachusetts', 7);
INSERT INTO tenant_kinds (code, name, executive_title) VALUES ('municipality', 'Municipality', 'Mayor');
INSERT INTO programs (code, name, jurisdiction_code) VALUES ('MPMP', 'MPMP', 'MA');
INSERT INTO program_years (program_code, fiscal_year, budget_cents) SELECT 'MPMP', y, 75000000 FROM generate_series(2015, 2024) y;
INSERT INTO fee_tiers (program_code, fiscal_year, minimum_size, fee_cents)
    SELECT 'MPMP', y, t.minimum, t.fee FROM generate_series(2015, 2024) y,
    (VALUES (0, 500000), (10000, 1000000), (50000, 1500000)) AS t(minimum, fee);
INSERT INTO tenants (tenant_id, name, tenant_kind_code, jurisdiction_code, population)
    SELECT gen_random_uuid(), 'Town ' || g, 'municipality', 'MA', (g * 7919) % 200000 FROM generate_series(1, :size) g;
INSERT INTO enrollments (tenant_id, program_code, fiscal_year, joined_on)
    SELECT t.tenant_id, 'MPMP', y, make_date(y - 1, 7, 1) + (abs(hashtext(t.name)) % 365)
    FROM tenants t, generate_series(2015, 2024) y;
COMMIT;
SQL
    psql_owner "$bench_db" -c "VACUUM ANALYZE"

    run_samples=()
    for year in 2015 2016 2017 2018 2019; do
        start=$(now_ms)
        APP_DATABASE_URL=$service_url LOG_LEVEL=error "$MPMP_BIN" invoices run --program MPMP --fy "$year" >"$bench_work/run.txt"
        end=$(now_ms)
        grep -qE "(^|[^0-9])$size draft invoice" "$bench_work/run.txt" || bench_fail "invoice run FY$year: $(cat "$bench_work/run.txt")"
        run_samples+=($((end - start)))
    done

    # THE LIMIT: the same drafts (tier fee, days billed, half-up proration) in one statement;
    # the partial unique index keeps one live invoice per enrollment. (No NOT EXISTS on
    # invoices here: planned against the table as it grows, it scanned it once per row.)
    limit_samples=()
    for year in 2020 2021 2022 2023 2024; do
        start=$(now_ms)
        inserted=$(psql_service "$bench_db" -v fy="$year" <<'SQL'
BEGIN;
SELECT set_config('app.all_tenants', 'on', true) \g /dev/null
WITH inserted AS (
    INSERT INTO invoices (tenant_id, enrollment_id, program_code, fiscal_year, annual_fee_cents, billed_days, year_days, amount_cents)
    SELECT e.tenant_id, e.id, e.program_code, e.fiscal_year, fee.cents, days.billed, days.in_year,
           (fee.cents * days.billed * 2 + days.in_year) / (days.in_year * 2)
    FROM enrollments e
    JOIN tenants t ON t.tenant_id = e.tenant_id
    CROSS JOIN LATERAL (
        SELECT f.fee_cents AS cents FROM fee_tiers f
        WHERE f.program_code = e.program_code AND f.fiscal_year = e.fiscal_year AND f.minimum_size <= coalesce(t.population, 0)
        ORDER BY f.minimum_size DESC LIMIT 1
    ) fee
    CROSS JOIN LATERAL (
        SELECT make_date(:fy, 7, 1) - greatest(e.joined_on, make_date(:fy - 1, 7, 1)) AS billed,
               make_date(:fy, 7, 1) - make_date(:fy - 1, 7, 1) AS in_year
    ) days
    WHERE e.program_code = 'MPMP' AND e.fiscal_year = :fy
    ON CONFLICT (tenant_id, enrollment_id) WHERE status <> 'void' DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM inserted;
COMMIT;
SQL
)
        end=$(now_ms)
        [ "$inserted" = "$size" ] || bench_fail "invoice run limit FY$year: inserted '$inserted', not $size"
        limit_samples+=($((end - start)))
    done

    run_ms=$(median "${run_samples[@]}")
    limit_ms=$(median "${limit_samples[@]}")
    per_thousand=$(calc "$run_ms * 1000 / $size" %.1f)
    bench_log "invoice run, $size enrollments: mpmp samples ${run_samples[*]} ms; INSERT ... SELECT samples ${limit_samples[*]} ms"
    budget="-"; ok="-"
    if [ "$size" -ge 10000 ]; then
        budget="10,000 < 3 s"
        ok=$(holds "$run_ms * 10000 / $size < 3000")
    fi
    bench_row "invoice run, $size enrollments (median of 5)" "$(calc "$run_ms / 1000" %.3f) s, $per_thousand ms per 1,000" \
        "INSERT..SELECT $(calc "$limit_ms / 1000" %.3f) s" "$(calc "100 * $limit_ms / $run_ms" %.0f) %" "$budget" "$ok"
    if [ -z "$first_per_thousand" ]; then
        first_size=$size; first_per_thousand=$per_thousand
    else
        bench_row "invoice run linearity" "$per_thousand ms per 1,000 at $size" "$first_per_thousand ms per 1,000 at $first_size" \
            "$(calc "$per_thousand / $first_per_thousand") x" "<= 1.25 x (linear)" "$(holds "$per_thousand <= 1.25 * $first_per_thousand")"
    fi
    psql_owner postgres -c "DROP DATABASE $bench_db"
done
