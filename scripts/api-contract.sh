#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis (pinned, from PyPI, in .venv)
# drives every operation of a server running on the demo data with every check it has (its
# default; scripts/schemathesis.toml turns one off for one operation, and says why)
# (server errors, schemas, status codes, content types, headers, valid requests accepted,
# invalid ones refused, undeclared methods answered 405, authentication enforced, ...)
# in the examples, coverage, fuzzing and stateful phases, once per demo role: the
# department head, the CEO, the analyst, then the Center's director (last: the director
# may disable the others' accounts). Needs MPMP_TEST_DATABASE_URL and
# MPMP_TEST_POSTGRES_PORT (scripts/with-test-postgres.sh).
#
# The budget: EXAMPLES examples per operation (default 50) and phase, a fixed seed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mpmp="$root/.build/debug/mpmp"
examples=${EXAMPLES:-50}
seed=${SEED:-20151}

"$root/scripts/python-tools.sh" >/dev/null || {
    echo "contract: 0 passed, 1 failed (could not install schemathesis; see scripts/python-tools.sh)"
    exit 1
}

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
log=${CONTRACT_LOG:-$(mktemp)}
APP_DATABASE_URL=$service PORT=$http_port LOG_LEVEL=error METRICS_TOKEN=contract-metrics-token "$mpmp" serve >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null && break; sleep 0.1; done
if ! curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null; then
    echo "contract: 0 passed, 1 failed (the server did not become ready on port $http_port)"
    tail -20 "$log"
    exit 1
fi
failed=0
# LOGINS and CONTRACT_ARGS (extra schemathesis arguments, such as --include-path) narrow a
# run while one investigates; `make test` uses neither.
logins=${LOGINS:-"dpw@amherst.demo:demo-head-2015 manager@amherst.demo:demo-ceo-2015 analyst1@mpmp.demo:demo-analyst-2015 director@mpmp.demo:demo-director-2015"}
read -r -a extra <<<"${CONTRACT_ARGS:-}"
total=0
for login in $logins; do
    total=$((total + 1))
    email=${login%%:*}
    password=${login#*:}
    token=$(curl -s -X POST -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" \
        "http://127.0.0.1:$http_port/v1/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/')
    # Signing out and changing the password would end the run's own session.
    "$root/.venv/bin/schemathesis" --config-file "$root/scripts/schemathesis.toml" run "http://127.0.0.1:$http_port/openapi.json" \
        -H "Authorization: Bearer $token" \
        --phases examples,coverage,fuzzing,stateful \
        --max-examples "$examples" --seed "$seed" --generation-deterministic \
        --exclude-path /v1/auth/logout --exclude-path /v1/auth/password \
        --suppress-health-check all "${extra[@]}" \
        >"$log.st" 2>&1
    status=$?
    cases=$(grep -oE '[0-9]+ generated, [^$]*' "$log.st" | tail -1)
    echo "contract as $email: ${cases:-no summary}"
    if [ $status -ne 0 ]; then
        failed=$((failed + 1))
        sed -n '/^Failures:/,/^$/p' "$log.st"
        if grep -q "=== FAILURES ===" "$log.st"; then
            sed -n '/=== FAILURES ===/,/=== SUMMARY ===/p' "$log.st" | head -200
        else
            tail -20 "$log.st"
        fi
    fi
done
if [ $failed -ne 0 ]; then
    echo "contract: $((total - failed)) passed, $failed failed"
    exit 1
fi
echo "contract: $total passed, 0 failed"
