#!/usr/bin/env bash
# Benchmark: the smallest authenticated read, GET /v1/me with a CEO's bearer token (the
# session and grants looked up in PostgreSQL), against GET /health/live (a constant answer)
# on the same server: wrk, 2 threads, 32 connections.
#
#   Benchmarks/small-read.sh [SECONDS]      (default $BENCH_SECONDS or 15 per route)
#
# DESIGN.md gives no budget: the ratio shows what authentication costs. Asserts nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_begin "$0" "$@"
seconds=${1:-$bench_seconds}

bench_log "small read: setting up a tenant and its CEO"
bench_database bench_small_read
bench_serve
bench_tenant_with_ceo
[ "$(api "$ceo_token" GET /v1/me | jq -r '.grants | length')" = 1 ] || bench_fail "small read: the CEO has no grant"

bench_log "small read: wrk on /health/live and /v1/me, ${seconds}s each"
wrk_run "$bench_work/warmup.txt" 3 "$base/v1/me" -H "Authorization: Bearer $ceo_token"
wrk_run "$bench_work/live.txt" "$seconds" "$base/health/live"
wrk_run "$bench_work/me.txt" "$seconds" "$base/v1/me" -H "Authorization: Bearer $ceo_token"
bench_stop_server
live_rps=$(wrk_rps "$bench_work/live.txt")
me_rps=$(wrk_rps "$bench_work/me.txt")
{
    echo "== small read: /health/live =="; grep -E "50%|99%|Requests/sec|Non-2xx|Socket" "$bench_work/live.txt"
    echo "== small read: /v1/me =="; grep -E "50%|99%|Requests/sec|Non-2xx|Socket" "$bench_work/me.txt"
} >&2
errors=""
[ "$(wrk_errors "$bench_work/me.txt")" = 0 ] || errors=" ($(wrk_errors "$bench_work/me.txt") errors)"
[ "$(wrk_errors "$bench_work/live.txt")" = 0 ] || errors+=" (/health/live: $(wrk_errors "$bench_work/live.txt") errors)"
bench_row "GET /v1/me, bearer token, 32 clients" "$(calc "$me_rps" %.0f) req/s, p99 $(wrk_latency_ms "$bench_work/me.txt" 99%) ms$errors" \
    "/health/live $(calc "$live_rps" %.0f) req/s, p99 $(wrk_latency_ms "$bench_work/live.txt" 99%) ms" \
    "$(calc "100 * $me_rps / $live_rps" %.0f) %" "-" "-"
