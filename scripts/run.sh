#!/usr/bin/env bash
# `make run`: migrate and serve.
#
# With DATABASE_URL and APP_DATABASE_URL set, uses that database. Otherwise creates once,
# and starts, a private PostgreSQL cluster under .postgres/ in the project folder (port
# $POSTGRES_PORT, default 54329), with passwords generated on creation; a second run reuses
# the cluster and its data.
#
# Mail: with SMTP_URL set, delivers there. Otherwise starts a local sink
# (scripts/smtp-sink.py on 127.0.0.1:$MAIL_SINK_PORT, default 1025) that keeps every mail
# as a file under .mail/new/, and delivers to it.
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

if [ -z "${SMTP_URL:-}" ]; then
    sink_port=${MAIL_SINK_PORT:-1025}
    python=$("$root/scripts/python-tools.sh")
    "$python" "$root/scripts/smtp-sink.py" --port "$sink_port" --maildir "$root/.mail" >/dev/null &
    sink=$!
    trap 'kill $sink 2>/dev/null || true' EXIT
    export SMTP_URL="smtp://127.0.0.1:$sink_port?tls=none"
    echo "run: mails go to a local sink; read them in .mail/new/"
fi

swift build -c "$configuration" --product mpmp
binary="$root/.build/$configuration/mpmp"
"$binary" migrate
"$binary" demo
echo "run: serving on http://${HOST:-127.0.0.1}:${PORT:-8080} (Ctrl-C stops); try the walk-through in README.md"
"$binary" serve
