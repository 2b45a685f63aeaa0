#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup runs from the trap
# The mail worker across a PostgreSQL restart (issue 14): `mpmp worker` on a cluster of its
# own, delivering 40 mails to a slow SMTP sink (scripts/smtp-sink.py --delay), and
# PostgreSQL stopped while a batch is claimed and half sent, then started again. The worker
# lives on; the mails it held are claimed again once their lease ends; every mail arrives,
# none is given up, and at most one arrives twice (the one sent while the database could
# not be told: the same Message-ID both times). SIGTERM then stops the worker cleanly.
# Needs a debug build (.build/debug/mpmp), PostgreSQL 15 (scripts/postgres.sh) and the
# .venv of scripts/python-tools.sh. KEEP=1 keeps the mails and the worker's log.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mpmp="$root/.build/debug/mpmp"
mails=40
mail_lease=4
work=$(mktemp -d)
cluster=$(mktemp -d "${TMPDIR:-/tmp}/mpmp-restart-postgres.XXXXXX")
passed=0
failed=0
worker=""
sink=""
cleanup() {
    [ -n "$worker" ] && kill -KILL "$worker" 2>/dev/null
    [ -n "$sink" ] && kill "$sink" 2>/dev/null
    "$root/scripts/postgres.sh" stop "$cluster" >/dev/null 2>&1 || true
    if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
    rm -rf "$cluster"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); echo "✔ $1"; }
fail() { failed=$((failed + 1)); echo "✘ $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | tail -40; }
finish() {
    echo "worker restart: $passed passed, $failed failed"
    exit $((failed > 0))
}
# shellcheck source=ports.sh
source "$root/scripts/ports.sh"
options="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

pg_port=$(free_port)
if ! POSTGRES_OPTIONS=$options "$root/scripts/postgres.sh" start "$cluster" "$pg_port" >"$work/postgres" 2>&1; then
    fail "setup: start PostgreSQL" "$work/postgres"
    finish
fi
# shellcheck disable=SC1091
source "$cluster/credentials.env"
export PGOPTIONS=--client-min-messages=warning
owner="postgres://postgres:$SUPERUSER_PASSWORD@127.0.0.1:$pg_port/mpmp_restart?sslmode=disable"
service="postgres://mpmp_restart_service:restart-password@127.0.0.1:$pg_port/mpmp_restart?sslmode=disable"
sql() { PGPASSWORD=$SUPERUSER_PASSWORD psql -h 127.0.0.1 -p "$pg_port" -U postgres -d mpmp_restart -qAtc "$1"; }
if ! { PGPASSWORD=$SUPERUSER_PASSWORD psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE mpmp_restart" \
    && DATABASE_URL=$owner APP_DATABASE_URL=$service LOG_LEVEL=error "$mpmp" migrate \
    && sql "INSERT INTO outbox (recipient, subject, body, kind)
            SELECT 'person' || n || '@example.org', 'Mail ' || n, 'Body ' || n, 'invitation' FROM generate_series(1, $mails) n"; } \
    >"$work/setup" 2>&1; then
    fail "setup: migrate and fill the outbox" "$work/setup"
    finish
fi

# The sink takes 0.2 s a message: a batch of 20 takes 4 s, time to stop PostgreSQL in it.
if ! start_sink "$work/sink" "$work/mail" --delay 0.2; then
    fail "setup: start the SMTP sink" "$work/sink"
    finish
fi

APP_DATABASE_URL=$service SMTP_URL="smtp://127.0.0.1:$smtp_port?tls=none" MAIL_LEASE_SECONDS=$mail_lease \
    DATABASE_LEASE_TIMEOUT=1 LOG_LEVEL=${WORKER_LOG_LEVEL:-notice} "$mpmp" worker >"$work/worker" 2>&1 &
worker=$!

arrived() { find "$work/mail/new" -type f 2>/dev/null | wc -l; }
for _ in $(seq 1 200); do [ "$(arrived)" -ge 5 ] && break; sleep 0.05; done
if [ "$(arrived)" -lt 5 ]; then
    fail "setup: the worker delivers" "$work/worker"
    finish
fi
claimed=$(sql "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND locked_until IS NOT NULL")
if POSTGRES_OPTIONS=$options "$root/scripts/postgres.sh" stop "$cluster" >"$work/postgres" 2>&1; then
    pass "PostgreSQL stopped with $(arrived) mails delivered and $claimed claimed but not yet sent"
else
    fail "stop PostgreSQL" "$work/postgres"
fi
sleep 3
if kill -0 "$worker" 2>/dev/null; then
    pass "the worker is still running while PostgreSQL is down"
else
    fail "the worker died with PostgreSQL" "$work/worker"
fi
if POSTGRES_OPTIONS=$options "$root/scripts/postgres.sh" start "$cluster" "$pg_port" >"$work/postgres" 2>&1; then
    pass "PostgreSQL started again"
else
    fail "start PostgreSQL again" "$work/postgres"
    finish
fi

# Everything sent within a minute: the held mails wait for their lease (4 s), then go.
done_at=""
for second in $(seq 1 60); do
    unsent=$(sql "SELECT count(*) FROM outbox WHERE sent_at IS NULL" 2>/dev/null || echo "?")
    if [ "$unsent" = 0 ]; then done_at=$second; break; fi
    sleep 1
done
if [ -n "$done_at" ]; then
    pass "every mail is marked sent, $done_at s after the restart"
else
    fail "mails still unsent a minute after the restart: $unsent" "$work/worker"
fi
retried=$(sql "SELECT count(*) FROM outbox WHERE attempts >= 2")
given_up=$(sql "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL")
if [ "$given_up" = 0 ]; then
    pass "none given up; $retried mail(s) claimed again after the restart"
else
    fail "$given_up mail(s) given up" "$work/worker"
fi
if [ "$claimed" -gt 1 ] && [ "$retried" -lt 1 ]; then
    fail "$claimed mails were held at the stop, yet none was claimed again" "$work/worker"
fi

total=$(arrived)
distinct=$(grep -h '^Message-ID:' "$work"/mail/new/* | sort -u | wc -l)
recipients=$(grep -h '^To:' "$work"/mail/new/* | sort -u | wc -l)
if [ "$distinct" -eq "$mails" ] && [ "$recipients" -eq "$mails" ]; then
    pass "all $mails mails arrived, each with its own Message-ID"
else
    fail "$distinct distinct Message-IDs and $recipients recipients arrived, not $mails" "$work/worker"
fi
if [ $((total - distinct)) -le 1 ]; then
    pass "$((total - distinct)) mail(s) arrived twice (at most the one sent while the database was gone)"
else
    fail "$((total - distinct)) mails arrived twice"
fi

kill -TERM "$worker"
stopped=""
for _ in $(seq 1 100); do
    if ! kill -0 "$worker" 2>/dev/null; then stopped=yes; break; fi
    sleep 0.1
done
if [ -n "$stopped" ] && wait "$worker"; then
    pass "SIGTERM stops the worker cleanly"
else
    fail "the worker did not stop cleanly on SIGTERM" "$work/worker"
fi
worker=""
finish
