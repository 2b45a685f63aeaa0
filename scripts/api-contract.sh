#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis (pinned, from PyPI, in .venv)
# drives every operation of a server running on the demo data, as the Center's director,
# and checks for server errors, response schema and status code conformance and content
# types. Needs MPMP_TEST_DATABASE_URL and MPMP_TEST_POSTGRES_PORT (scripts/with-test-postgres.sh).
#
# The budget: EXAMPLES examples per operation (default 100) in the examples, coverage and
# fuzzing phases, with a fixed seed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mpmp="$root/.build/debug/mpmp"
examples=${EXAMPLES:-100}
seed=${SEED:-20151}
schemathesis_version=4.32.5

if ! "$root/.venv/bin/schemathesis" --version 2>/dev/null | grep -q "$schemathesis_version"; then
    python3 -m venv "$root/.venv" && "$root/.venv/bin/pip" install -q "schemathesis==$schemathesis_version" || {
        echo "contract: 0 passed, 1 failed (could not install schemathesis $schemathesis_version)"
        exit 1
    }
fi

admin_password=$(sed -E 's|^postgres://[^:]+:([^@]+)@.*|\1|' <<<"$MPMP_TEST_DATABASE_URL")
port=$MPMP_TEST_POSTGRES_PORT
# shellcheck source=ports.sh
source "$root/scripts/ports.sh"
http_port=$(free_port)
export PGOPTIONS=--client-min-messages=warning
PGPASSWORD=$admin_password psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS mpmp_contract" -c "CREATE DATABASE mpmp_contract"
owner="postgres://postgres:$admin_password@127.0.0.1:$port/mpmp_contract?sslmode=disable"
service="postgres://mpmp_contract_service:contract-password@127.0.0.1:$port/mpmp_contract?sslmode=disable"
DATABASE_URL=$owner APP_DATABASE_URL=$service LOG_LEVEL=error "$mpmp" migrate
APP_DATABASE_URL=$service LOG_LEVEL=error "$mpmp" demo >/dev/null
log=$(mktemp)
APP_DATABASE_URL=$service PORT=$http_port LOG_LEVEL=error "$mpmp" serve >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null && break; sleep 0.1; done
token=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"email":"director@mpmp.demo","password":"demo-director-2015"}' \
    "http://127.0.0.1:$http_port/v1/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/')

# Signing out and changing the password would end the run's own session.
"$root/.venv/bin/schemathesis" run "http://127.0.0.1:$http_port/openapi.json" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "$examples" --seed "$seed" --generation-deterministic \
    --exclude-path /v1/auth/logout --exclude-path /v1/auth/password \
    --suppress-health-check all \
    >"$log.st" 2>&1
status=$?
sed -n '/=== SUMMARY ===/,$p' "$log.st"
if [ $status -ne 0 ]; then
    if grep -q "=== FAILURES ===" "$log.st"; then
        sed -n '/=== FAILURES ===/,/=== SUMMARY ===/p' "$log.st" | head -200
    else
        tail -20 "$log.st"
    fi
    echo "contract: 0 passed, 1 failed"
    exit 1
fi
echo "contract: 1 passed, 0 failed"
