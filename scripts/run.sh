#!/usr/bin/env bash
# `make run`: migrate and serve.
#
# With DATABASE_URL and APP_DATABASE_URL set, uses that database. Otherwise creates once,
# and starts, a private PostgreSQL cluster under .postgres/ in the project folder (port
# $POSTGRES_PORT, default 54329), with passwords generated on creation; a second run reuses
# the cluster and its data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
configuration=${CONFIGURATION:-debug}

if [ -n "${DATABASE_URL:-}" ] && [ -n "${APP_DATABASE_URL:-}" ]; then
    echo "run: using DATABASE_URL and APP_DATABASE_URL from the environment"
else
    cluster="$root/.postgres"
    port=${POSTGRES_PORT:-54329}
    "$root/scripts/postgres.sh" start "$cluster" "$port"
    # shellcheck disable=SC1091
    source "$cluster/credentials.env"
    owner="postgres://postgres:$SUPERUSER_PASSWORD@127.0.0.1:$port"
    if ! PGPASSWORD=$SUPERUSER_PASSWORD psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'mpmp'" | grep -q 1; then
        PGPASSWORD=$SUPERUSER_PASSWORD psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE mpmp"
    fi
    export DATABASE_URL="$owner/mpmp?sslmode=disable"
    export APP_DATABASE_URL="postgres://mpmp_service:$SERVICE_PASSWORD@127.0.0.1:$port/mpmp?sslmode=disable"
    echo "run: private PostgreSQL on 127.0.0.1:$port (data in .postgres/)"
fi

swift build -c "$configuration" --product mpmp
binary="$root/.build/$configuration/mpmp"
"$binary" migrate
"$binary" demo
echo "run: serving on http://${HOST:-127.0.0.1}:${PORT:-8080} (Ctrl-C stops); try the walk-through in README.md"
exec "$binary" serve
