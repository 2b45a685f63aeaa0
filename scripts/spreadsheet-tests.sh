#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup runs from the trap
# Workbooks written by real spreadsheet programs (openpyxl from PyPI, and LibreOffice Calc
# headless from Debian, installed when missing) imported through the API on the demo data,
# and the console's Excel export opened by LibreOffice: Tests/Spreadsheets/workbook_test.py writes each file and checks
# the answer and the dashboard. Needs MPMP_TEST_DATABASE_URL and MPMP_TEST_POSTGRES_PORT
# (scripts/with-test-postgres.sh) and a debug build. KEEP=1 keeps the server's log.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mpmp="$root/.build/debug/mpmp"
work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
    if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "✘ $1"; [ -n "${2:-}" ] && tail -40 "$2" | sed 's/^/    /'; echo "spreadsheets: 0 passed, 1 failed"; exit 1; }

if ! command -v soffice >/dev/null; then
    echo "spreadsheet-tests.sh: installing libreoffice-calc-nogui with apt-get" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui; } >&2 \
        || fail "install libreoffice-calc-nogui"
fi
python=$("$root/scripts/python-tools.sh") || fail "install the Python tools"
# shellcheck source=ports.sh
source "$root/scripts/ports.sh"
demo_database mpmp_sheets "$work/setup" || fail "migrate and load the demo" "$work/setup"
start_server "$work/serve" APP_DATABASE_URL="$service" LOG_LEVEL=warning || true
[ -n "$server" ] || fail "serve the demo" "$work/serve"

"$python" "$root/Tests/Spreadsheets/workbook_test.py" --base "$base" --work "$work"
status=$?
[ $status -eq 0 ] || { echo "  the server's log:"; tail -20 "$work/serve" | sed 's/^/    /'; }
exit $status
