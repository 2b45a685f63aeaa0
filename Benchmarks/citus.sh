#!/usr/bin/env bash
# `make bench-citus`: the dashboard benchmark (dashboard.sh) on a throwaway plain PostgreSQL,
# then on a throwaway Citus cluster (a coordinator and two workers, scripts/citus.sh) on the
# same machine, and one table with both and their ratio. Not a test: it asserts nothing.
#
#   Benchmarks/citus.sh [SECONDS]
#
# On one machine the three Citus nodes, the server and the load generators share the same
# cores: the ratio shows what the coordinator's extra hop costs a tenant's request, not
# what more machines would add.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/mpmp-bench-citus.XXXXXX")
trap 'rm -rf "$work"' EXIT
export BENCH_RESULTS=$work/results.tsv BENCH_STARTED=$(now_ms) BENCH_LOAD=$(cut -d' ' -f1 /proc/loadavg)
: >"$BENCH_RESULTS"
if [ -z "${MPMP_BIN:-}" ]; then
    bench_log "bench: swift build -c release --product mpmp"
    (cd "$bench_root" && swift build -c release --product mpmp) >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
    export MPMP_BIN=$bench_root/.build/release/mpmp
fi

BENCH_LABEL="PostgreSQL" "$bench_root/scripts/with-test-postgres.sh" "$here/dashboard.sh" "$@"
BENCH_LABEL="Citus" "$bench_root/scripts/citus.sh" with "$here/dashboard.sh" "$@"

# "API 991 req/s" of each cluster's first dashboard row.
api_rps() { awk -F'\t' -v work="$1: dashboard, CEO, 32 clients" '$1 == work { split($2, f, " "); print f[2]; exit }' "$BENCH_RESULTS"; }
plain=$(api_rps PostgreSQL) citus=$(api_rps Citus)
[ -n "$plain" ] && [ -n "$citus" ] || bench_fail "a dashboard run left no figure"
bench_row "dashboard on Citus beside PostgreSQL" "Citus $citus req/s" "PostgreSQL $plain req/s" \
    "$(calc "100 * $citus / $plain" %.0f) %" "-" "-"
bench_finish
