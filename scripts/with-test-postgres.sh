#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster, removed afterwards.
#
#   scripts/with-test-postgres.sh COMMAND [ARG ...]
#
# The command sees MPMP_TEST_DATABASE_URL, a superuser URL on the cluster's `postgres`
# database. The cluster trades durability for speed (fsync off): it is thrown away.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=ports.sh
source "$here/ports.sh"

cluster=$(mktemp -d "${TMPDIR:-/tmp}/mpmp-test-postgres.XXXXXX")
port=$(free_port)
cleanup() {
    "$here/postgres.sh" stop "$cluster" >/dev/null 2>&1 || true
    rm -rf "$cluster"
}
trap cleanup EXIT

POSTGRES_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    "$here/postgres.sh" start "$cluster" "$port"
# shellcheck disable=SC1091
source "$cluster/credentials.env"
export MPMP_TEST_DATABASE_URL="postgres://postgres:$SUPERUSER_PASSWORD@127.0.0.1:$port/postgres?sslmode=disable"
export MPMP_TEST_POSTGRES_PORT=$port
"$@"
