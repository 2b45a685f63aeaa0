#!/usr/bin/env bash
# Benchmark: a CSV import of 100,000 rows (50 monthly measures x 2,000 months, January 1900
# to August 2066, with a note) through POST /v1/tenants/{t}/data-imports as the tenant's CEO,
# against `psql \copy` of the same rows into data_points as the owner.
#
#   Benchmarks/csv-import.sh [RUNS]      (default 3; the median is reported)
#
# Both start from measures without data: data_points and data_point_revisions are emptied
# before every run. Each time is the whole command: curl uploading the file and waiting for
# the answer; psql connecting, copying, committing. DESIGN.md section 10: under 2 s, at least
# half of \copy's speed. Prints figures; asserts nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_begin "$0" "$@"
runs=${1:-3}
measure_count=50
months=2000
row_count=$((measure_count * months))

bench_log "csv import: setting up $measure_count measures, $row_count rows"
bench_database bench_import
bench_serve
bench_tenant_with_ceo
bench_measures Import $measure_count

# The file for the API: measure,period,value,note.
awk -v measures=$measure_count -v months=$months 'BEGIN {
    print "measure,period,value,note"
    for (m = 1; m <= measures; m++)
        for (i = 0; i < months; i++)
            printf "Import %d,%04d-%02d-01,%d.%02d,bench row %d\n", m, 1900 + int(i / 12), i % 12 + 1, (m * 37 + i * 11) % 5000, i % 100, i
}' >"$bench_work/import.csv"
# The same rows for \copy: the measure names resolved to ids, the CEO as the one who entered them.
psql_owner "$bench_db" -F, -v tenant="$tenant" <<'SQL' >"$bench_work/measure-ids.csv"
SELECT name, id FROM measures WHERE tenant_id = :'tenant';
SQL
awk -F, -v tenant="$tenant" -v user="$ceo_id" '
    NR == FNR { id[$1] = $2; next }
    FNR == 1 { next }
    { print tenant "," id[$1] "," $2 "," $3 "," $4 "," user }' "$bench_work/measure-ids.csv" "$bench_work/import.csv" >"$bench_work/copy.csv"
[ "$(wc -l <"$bench_work/copy.csv")" = $row_count ] || bench_fail "csv import: the \\copy file has the wrong number of rows"
grep -q ',,' "$bench_work/copy.csv" && bench_fail "csv import: a measure name did not resolve to an id"

reset_data() {
    psql_owner "$bench_db" -c "TRUNCATE data_point_revisions, data_points" -c "VACUUM ANALYZE data_points, data_point_revisions"
}
count_points() {
    psql_owner "$bench_db" -c "SELECT count(*) FROM data_points"
}

awk -F, '{ print $1 "," $2 "," $3 "," $4 ",CSV import," $6 }' "$bench_work/copy.csv" >"$bench_work/revisions.csv"
both_samples=()
api_samples=()
cpu_samples=()
copy_samples=()
for run in $(seq 1 "$runs"); do
    bench_log "csv import: run $run of $runs"
    reset_data
    cpu_before=$(cpu_ms "$server_pid")
    start=$(now_ms)
    status=$(curl -s --max-time 300 -o "$bench_work/import-answer.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $ceo_token" \
        -H "Content-Type: text/csv" --data-binary "@$bench_work/import.csv" "$base/v1/tenants/$tenant/data-imports")
    end=$(now_ms)
    written=$(jq -r .written "$bench_work/import-answer.json" 2>/dev/null || true)
    if [ "$status" != 201 ] || [ "$written" != $row_count ]; then
        bench_fail "csv import: the API answered $status: $(head -c 1000 "$bench_work/import-answer.json")"
    fi
    [ "$(count_points)" = $row_count ] || bench_fail "csv import: the API import left $(count_points) data points"
    api_samples+=($((end - start)))
    cpu_samples+=($(($(cpu_ms "$server_pid") - cpu_before)))

    reset_data
    start=$(now_ms)
    psql_owner "$bench_db" -c '\copy data_points (tenant_id, measure_id, period, value, note, entered_by) FROM pstdin WITH (FORMAT csv)' \
        <"$bench_work/copy.csv"
    end=$(now_ms)
    [ "$(count_points)" = $row_count ] || bench_fail "csv import: \\copy left $(count_points) data points"
    copy_samples+=($((end - start)))

    # The import also keeps a revision of every new value (DESIGN.md section 5): \copy of
    # the same rows into both tables is the like-for-like work.
    reset_data
    start=$(now_ms)
    psql_owner "$bench_db" -c '\copy data_points (tenant_id, measure_id, period, value, note, entered_by) FROM pstdin WITH (FORMAT csv)' \
        <"$bench_work/copy.csv"
    psql_owner "$bench_db" -c '\copy data_point_revisions (tenant_id, measure_id, period, new_value, reason, changed_by) FROM pstdin WITH (FORMAT csv)' \
        <"$bench_work/revisions.csv"
    end=$(now_ms)
    both_samples+=($((end - start)))
done
reset_data
peak_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
bench_stop_server

api_ms=$(median "${api_samples[@]}")
copy_ms=$(median "${copy_samples[@]}")
bench_log "csv import: API samples ${api_samples[*]} ms (of which the server's own CPU time ${cpu_samples[*]} ms); \\copy samples ${copy_samples[*]} ms"
api_rate=$(calc "$row_count * 1000 / $api_ms" %.0f)
copy_rate=$(calc "$row_count * 1000 / $copy_ms" %.0f)
bench_row "csv import, $row_count rows (median of $runs)" "API $(calc "$api_ms / 1000") s, $api_rate rows/s" \
    "\\copy $(calc "$copy_ms / 1000") s, $copy_rate rows/s" "$(calc "100 * $copy_ms / $api_ms" %.0f) %" "< 2 s, >= 50 %" \
    "$(holds "$api_ms < 2000 && $copy_ms / $api_ms >= 0.5")"
both_ms=$(median "${both_samples[@]}")
bench_row "csv import vs \\copy of points and revisions" "API $(calc "$api_ms / 1000") s" \
    "\\copy of both $(calc "$both_ms / 1000") s" "$(calc "100 * $both_ms / $api_ms" %.0f) %" "-" "-"
bench_row "csv import server memory" "$((peak_kb / 1024)) MB peak (VmHWM)" "-" "-" "< 200 MB" "$(holds "$peak_kb < 200 * 1024")"
