#!/usr/bin/env bash
# Checks of the `mpmp` command as an operator meets it: one-line errors with a non-zero
# exit, concurrent migrations, readiness, a taken port, graceful shutdown.
# Needs MPMP_TEST_DATABASE_URL and MPMP_TEST_POSTGRES_PORT (scripts/with-test-postgres.sh).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mpmp="$root/.build/debug/mpmp"
work=$(mktemp -d)
passed=0
failed=0
server_pids=()
cleanup() {
    for pid in "${server_pids[@]}"; do kill_tree "$pid"; done
    rm -rf "$work"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); echo "✔ $1"; }
# shellcheck source=ports.sh
source "$root/scripts/ports.sh"
# Waits up to a minute for a server's /health/ready; prints the last status.
wait_ready() {
    local url=$1 pid=$2 code=""
    for _ in $(seq 1 600); do
        code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
        [ "$code" = 200 ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$code"
}
# Ends a process and everything it started (make → run.sh → mpmp serve).
kill_tree() {
    local child
    for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$child"; done
    kill -TERM "$1" 2>/dev/null || true
}
fail() { failed=$((failed + 1)); echo "✘ $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2"; }

# expect_one_line_failure NAME COMMAND...: exits non-zero, prints one line on stderr, no trace.
expect_one_line_failure() {
    local name=$1; shift
    "$@" >"$work/out" 2>"$work/err" </dev/null
    local status=$?
    if [ "$status" -ne 0 ] && [ "$(wc -l <"$work/err")" -eq 1 ] && ! grep -qiE 'fatal error|backtrace|0x[0-9a-f]{8}' "$work/err"; then
        pass "$name: $(cat "$work/err")"
    else
        fail "$name (exit $status)" "$work/err"
    fi
}

admin_password=$(sed -E 's|^postgres://[^:]+:([^@]+)@.*|\1|' <<<"$MPMP_TEST_DATABASE_URL")
port=$MPMP_TEST_POSTGRES_PORT
psql_admin() { PGOPTIONS=--client-min-messages=warning PGPASSWORD=$admin_password psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -tA "$@"; }
psql_admin -d postgres -qc "DROP DATABASE IF EXISTS mpmp_cli" -c "CREATE DATABASE mpmp_cli"
owner_url="postgres://postgres:$admin_password@127.0.0.1:$port/mpmp_cli?sslmode=disable"
service_url="postgres://mpmp_cli_service:cli-service-password@127.0.0.1:$port/mpmp_cli?sslmode=disable"

expect_one_line_failure "malformed DATABASE_URL" env DATABASE_URL="mysql://nobody@nowhere/db" "$mpmp" migrate
expect_one_line_failure "missing DATABASE_URL" env -u DATABASE_URL "$mpmp" migrate
expect_one_line_failure "unreachable database (migrate)" env DATABASE_URL="postgres://u:p@127.0.0.1:1/db?sslmode=disable" "$mpmp" migrate
expect_one_line_failure "unreachable database (serve)" env APP_DATABASE_URL="postgres://u:p@127.0.0.1:1/db?sslmode=disable" "$mpmp" serve
expect_one_line_failure "wrong password" env DATABASE_URL="postgres://postgres:wrong@127.0.0.1:$port/mpmp_cli?sslmode=disable" "$mpmp" migrate
expect_one_line_failure "missing APP_DATABASE_URL" env -u APP_DATABASE_URL "$mpmp" serve
expect_one_line_failure "malformed PORT" env APP_DATABASE_URL="$service_url" PORT=eighty "$mpmp" serve
expect_one_line_failure "worker without SMTP_URL" env -u SMTP_URL APP_DATABASE_URL="$service_url" "$mpmp" worker
expect_one_line_failure "worker with a malformed SMTP_URL" env APP_DATABASE_URL="$service_url" SMTP_URL="http://mail.example" "$mpmp" worker
expect_one_line_failure "worker with a malformed MAIL_LEASE_SECONDS" \
    env APP_DATABASE_URL="$service_url" SMTP_URL="smtp://127.0.0.1:1?tls=none" MAIL_LEASE_SECONDS=soon "$mpmp" worker
"$mpmp" worker --help >"$work/help" 2>&1
if grep -q SMTP_URL "$work/help" && grep -q MAIL_LEASE_SECONDS "$work/help" && grep -q PUBLIC_BASE_URL "$work/help" \
    && grep -q "/v1/outbox/failed" "$work/help"; then
    pass "mpmp worker --help explains its configuration"
else
    fail "mpmp worker --help lacks its configuration" "$work/help"
fi

# Two migrations started at the same moment: both succeed, each migration applied once.
DATABASE_URL=$owner_url APP_DATABASE_URL=$service_url "$mpmp" migrate >"$work/m1" 2>&1 &
first=$!
DATABASE_URL=$owner_url APP_DATABASE_URL=$service_url "$mpmp" migrate >"$work/m2" 2>&1 &
second=$!
wait $first; first_status=$?
wait $second; second_status=$?
migrations=$(find "$root/Sources/Storage/Migrations" -name '*.sql' | wc -l)
applied=$(psql_admin -d mpmp_cli -c "SELECT count(*) FROM schema_migrations")
if [ "$first_status" -eq 0 ] && [ "$second_status" -eq 0 ] && [ "$applied" -eq "$migrations" ]; then
    pass "two concurrent migrate runs both exit 0 and apply $migrations migration(s) once"
else
    cat "$work/m1" "$work/m2" >"$work/m"
    fail "concurrent migrate: exits $first_status/$second_status, $applied of $migrations applied" "$work/m"
fi

# The first Center admin: the password comes from standard input, never from a flag.
if printf 'first-admin-password\n' | DATABASE_URL=$owner_url LOG_LEVEL=error "$mpmp" admin create --email director@umb.example --name Director >"$work/admin" 2>&1 \
    && [ "$(psql_admin -d mpmp_cli -c "SELECT count(*) FROM users WHERE is_center_admin AND password_hash LIKE '\$2%\$12\$%'")" = 1 ]; then
    pass "admin create: a Center admin with a bcrypt (cost 12) password read from standard input"
else
    fail "admin create" "$work/admin"
fi
expect_one_line_failure "admin create twice" sh -c "printf 'first-admin-password\n' | DATABASE_URL='$owner_url' LOG_LEVEL=error '$mpmp' admin create --email director@umb.example"
expect_one_line_failure "admin create with a short password" sh -c "printf 'short\n' | DATABASE_URL='$owner_url' '$mpmp' admin create --email other@umb.example"

# serve answers ready, a second serve on the same port fails in one line, SIGTERM stops it.
http_port=$(free_port)
APP_DATABASE_URL=$service_url PORT=$http_port "$mpmp" serve >"$work/serve" 2>&1 &
server=$!
server_pids+=("$server")
ready=$(wait_ready "http://127.0.0.1:$http_port/health/ready" "$server")
if [ "$ready" = 200 ]; then pass "serve: /health/ready answers 200"; else fail "serve: /health/ready answered '$ready'" "$work/serve"; fi

login=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d '{"email":"director@umb.example","password":"first-admin-password"}' "http://127.0.0.1:$http_port/v1/auth/login")
token=$(sed -E 's/.*"token":"([^"]+)".*/\1/' <<<"$login")
me=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$http_port/v1/me")
if [ "$me" = 200 ]; then pass "serve: the admin signs in over HTTP and reads /v1/me"; else fail "serve: sign-in gave '$login', /v1/me $me" "$work/serve"; fi

# Billing from the command line, on a program year made through the API.
api() { curl -s -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$http_port$2"; }
api POST /v1/jurisdictions '{"code":"MA","name":"Massachusetts","fiscalYearStartMonth":7}' >/dev/null
api POST /v1/tenant-kinds '{"code":"municipality","name":"Municipality","executiveTitle":"Mayor / Town Manager"}' >/dev/null
api POST /v1/programs '{"code":"MPMP","name":"Municipal Performance Management Program","jurisdiction":"MA"}' >/dev/null
api PUT /v1/programs/MPMP/years/2015 '{"budgetCents":75000000,"targetStateShareBasisPoints":3300,"analystHeadcount":7}' >/dev/null
api PUT /v1/programs/MPMP/years/2015/fee-schedule '{"tiers":[{"minimumSize":0,"feeCents":1000000}]}' >/dev/null
tenant=$(api POST /v1/tenants '{"name":"Worcester","kind":"municipality","jurisdiction":"MA","population":181045}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
api POST "/v1/tenants/$tenant/enrollments" '{"program":"MPMP","fiscalYear":2015,"joinedOn":"2014-07-01"}' >/dev/null
run_output=$(APP_DATABASE_URL=$service_url "$mpmp" invoices run --program MPMP --fy 2015 2>&1)
rerun_output=$(APP_DATABASE_URL=$service_url "$mpmp" invoices run --program MPMP --fy 2015 2>&1)
if grep -q "1 draft invoice(s) created" <<<"$run_output" && grep -q "0 draft invoice(s) created" <<<"$rerun_output"; then
    pass "invoices run: one draft, then none on a repeat"
else
    printf '%s\n%s\n' "$run_output" "$rerun_output" >"$work/run"; fail "invoices run" "$work/run"
fi
report=$(APP_DATABASE_URL=$service_url "$mpmp" report funding --program MPMP --fy 2015 2>&1)
if grep -q "Budget .*\$750,000.00" <<<"$report" && grep -q "Enrolled tenants .* 1" <<<"$report"; then
    pass "report funding: a readable table"
    echo "$report" | sed 's/^/    /'
else
    echo "$report" >"$work/report"; fail "report funding" "$work/report"
fi
expect_one_line_failure "invoices run for an unknown program year" env APP_DATABASE_URL="$service_url" "$mpmp" invoices run --program MPMP --fy 2099

expect_one_line_failure "port already in use" env APP_DATABASE_URL="$service_url" PORT=$http_port LOG_LEVEL=error "$mpmp" serve

kill -TERM "$server"
stopped=""
for _ in $(seq 1 100); do
    if ! kill -0 "$server" 2>/dev/null; then stopped=yes; break; fi
    sleep 0.1
done
wait "$server"; server_status=$?
if [ "$stopped" = yes ] && [ "$server_status" -eq 0 ]; then
    pass "serve: SIGTERM shuts down gracefully (exit 0)"
else
    fail "serve: SIGTERM left exit status $server_status" "$work/serve"
fi

# `make run` on an empty database: migrate, load the demo, serve; then the README's walk-through.
psql_admin -d postgres -qc "DROP DATABASE IF EXISTS mpmp_run" -c "CREATE DATABASE mpmp_run"
run_port=$(free_port)
DATABASE_URL="postgres://postgres:$admin_password@127.0.0.1:$port/mpmp_run?sslmode=disable" \
    APP_DATABASE_URL="postgres://mpmp_run_service:run-password@127.0.0.1:$port/mpmp_run?sslmode=disable" \
    PORT=$run_port MAIL_SINK_PORT=$(free_port) LOG_LEVEL=warning make -s -C "$root" run >"$work/run.log" 2>&1 &
runner=$!
server_pids+=("$runner")
ready=$(wait_ready "http://127.0.0.1:$run_port/health/ready" "$runner")
if [ "$ready" = 200 ] && grep -q "director@mpmp.demo" "$work/run.log"; then
    pass "make run: migrates, loads the demo, prints its logins and serves"
else
    fail "make run (ready: $ready)" "$work/run.log"
fi
walkthrough=$(sed -n '/<!-- walkthrough -->/,/<!-- \/walkthrough -->/p' "$root/README.md" | grep -v '^<!--' | grep -v '^```' | sed "s/localhost:8080/localhost:$run_port/g")
walk_output=$(bash -c "$walkthrough" 2>&1)
if grep -q '"name":"Amherst"' <<<"$walk_output" && grep -q '"status":"red"' <<<"$walk_output" \
    && grep -q '"actualStateShareBasisPoints":3303' <<<"$walk_output" && grep -q '"31-60"' <<<"$walk_output"; then
    pass "README walk-through: portfolio, dashboard, funding report and aging answer as written"
else
    echo "$walk_output" | head -c 3000 >"$work/walk"; fail "README walk-through" "$work/walk"
fi
kill_tree "$runner"; wait "$runner" 2>/dev/null
psql_admin -d postgres -qc "DROP DATABASE IF EXISTS mpmp_run WITH (FORCE)"

psql_admin -d postgres -qc "DROP DATABASE IF EXISTS mpmp_cli WITH (FORCE)"
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
