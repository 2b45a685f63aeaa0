#!/usr/bin/env bash
# A/B: two builds of the server on one database, taking turns, so that a change is measured
# against what it replaces under the same load of the machine (figures from separate runs
# on these shared 2-core machines move by 15 % or more).
#
#   Benchmarks/ab.sh BINARY_A BINARY_B [ROUNDS]     (default 3 rounds)
#
# The dashboard of Benchmarks/dashboard.sh (50 measures x 36 periods, a CEO, 32 clients)
# and GET /v1/me, BENCH_SECONDS (default 15) each, for A then B in every round; the
# database is migrated by A. To compare SQL rather than builds, AB_SQL_A and AB_SQL_B name
# files run as the owner before each turn of A and of B (a function as it was, and as it
# is); AB_POOL_A and AB_POOL_B set each side's DATABASE_POOL_SIZE (to compare pool sizes,
# give the same binary twice). Prints each turn and the medians; asserts nothing.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: Benchmarks/ab.sh BINARY_A BINARY_B [ROUNDS]" >&2; exit 2; }
ab_binaries=("$(realpath "$1")" "$(realpath "$2")")
ab_rounds=${3:-3}
for binary in "${ab_binaries[@]}"; do [ -x "$binary" ] || { echo "ab: $binary is not an executable" >&2; exit 2; }; done
export MPMP_BIN=${ab_binaries[0]}
source "$(dirname "$0")/lib.sh"
bench_begin "$0" "$@"
seconds=$bench_seconds

bench_log "ab: setting up the dashboard's data with A"
bench_database bench_ab
bench_serve
bench_dashboard_data 2015
bench_stop_server
dashboard_path=${url#"$base"}

# ab_turn LABEL BINARY SQL POOL: one turn; appends "label dashboard-req/s p99 cpu-ms me-req/s".
ab_turn() {
    local label=$1 sql=$3 pool=$4 cpu_before cpu_after requests
    [ -z "$sql" ] || psql_owner "$bench_db" -f "$sql" >/dev/null
    if [ -n "$pool" ]; then export DATABASE_POOL_SIZE=$pool; else unset DATABASE_POOL_SIZE; fi
    MPMP_BIN=$2 bench_serve
    wrk_run "$bench_work/warmup.txt" 2 "$base$dashboard_path" -H "Authorization: Bearer $ceo_token"
    cpu_before=$(cpu_ms "$server_pid")
    wrk_run "$bench_work/dashboard.txt" "$seconds" "$base$dashboard_path" -H "Authorization: Bearer $ceo_token"
    cpu_after=$(cpu_ms "$server_pid")
    wrk_run "$bench_work/me.txt" "$seconds" "$base/v1/me" -H "Authorization: Bearer $ceo_token"
    bench_stop_server
    requests=$(awk '/requests in/ { print $1 }' "$bench_work/dashboard.txt")
    [ "$(wrk_errors "$bench_work/dashboard.txt")" = 0 ] && [ "$(wrk_errors "$bench_work/me.txt")" = 0 ] \
        || bench_fail "ab: $label answered with errors"
    printf '%s %s %s %s %s\n' "$label" "$(wrk_rps "$bench_work/dashboard.txt")" "$(wrk_latency_ms "$bench_work/dashboard.txt" 99%)" \
        "$(calc "($cpu_after - $cpu_before) / $requests" %.3f)" "$(wrk_rps "$bench_work/me.txt")" | tee -a "$bench_work/turns" >&2
}

: >"$bench_work/turns"
for round in $(seq 1 "$ab_rounds"); do
    bench_log "ab: round $round of $ab_rounds"
    ab_turn A "${ab_binaries[0]}" "${AB_SQL_A:-}" "${AB_POOL_A:-}"
    ab_turn B "${ab_binaries[1]}" "${AB_SQL_B:-}" "${AB_POOL_B:-}"
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for side in A B; do
    column() { awk -v s="$side" -v c="$1" '$1 == s { print $c }' "$bench_work/turns" | median; }
    bench_row "ab $side: dashboard, median of $ab_rounds" "$(calc "$(column 2)" %.0f) req/s, p99 $(column 3) ms" \
        "server CPU $(column 4) ms per request" "-" "-" "-"
    bench_row "ab $side: GET /v1/me, median of $ab_rounds" "$(calc "$(column 5)" %.0f) req/s" "-" "-" "-" "-"
done
bench_row "ab: B against A, dashboard" "$(calc "100 * $(awk '$1 == "B" { print $2 }' "$bench_work/turns" | median) / $(awk '$1 == "A" { print $2 }' "$bench_work/turns" | median)" %.0f) %" "-" "-" "-" "-"
