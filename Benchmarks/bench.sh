#!/usr/bin/env bash
# `make bench`: every benchmark on a release build against one throwaway PostgreSQL, then one
# table of each figure beside its limit measured in the same run and DESIGN.md section 10's
# budget. Not a test: it exits 0 whatever the figures (BENCH_STRICT=1: 1 when one misses).
#
#   Benchmarks/bench.sh
#
# Environment: MPMP_BIN (a release `mpmp`; otherwise built here), BENCH_SECONDS (each wrk
# and pgbench run, default 15). The pieces run alone too: dashboard.sh, csv-import.sh,
# invoice-run.sh, small-read.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
bench_begin "$0" "$@"

bench_log "bench: $MPMP_BIN, PostgreSQL 127.0.0.1:$pg_port, $(nproc) cores, ${bench_seconds}s per wrk or pgbench run"
"$here/dashboard.sh"
"$here/csv-import.sh"
"$here/xlsx-import.sh"
"$here/invoice-run.sh" 1000 10000
"$here/small-read.sh"
