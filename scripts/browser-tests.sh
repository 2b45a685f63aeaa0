#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup runs from the trap
# The console in a real browser (DESIGN §11): `mpmp serve` on the demo data in a database of
# the test cluster, an SMTP sink for its mails, and Tests/Browser/console_test.py driving
# headless Chromium through selenium with axe-core on every page.
# Installs Debian's chromium and chromium-driver when they are missing (as postgres.sh does
# PostgreSQL), and the Python tools with scripts/python-tools.sh.
# Needs MPMP_TEST_DATABASE_URL and MPMP_TEST_POSTGRES_PORT (scripts/with-test-postgres.sh)
# and a debug build. KEEP=1 keeps the server's log and the mails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mpmp="$root/.build/debug/mpmp"
work=$(mktemp -d)
server=""
sink=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [ -n "$sink" ] && kill "$sink" 2>/dev/null
    if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "✘ $1"; [ -n "${2:-}" ] && tail -40 "$2" | sed 's/^/    /'; echo "browser: 0 passed, 1 failed"; exit 1; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    echo "browser-tests.sh: installing chromium and chromium-driver with apt-get" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } >&2 \
        || fail "install chromium and chromium-driver"
fi
python=$("$root/scripts/python-tools.sh") || fail "install the Python tools"
axe=$("$python" -c 'import axe_playwright_python, os; print(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js"))')
[ -f "$axe" ] || fail "axe.min.js is missing from the axe-playwright-python wheel"

# shellcheck source=ports.sh
source "$root/scripts/ports.sh"
demo_database mpmp_browser "$work/setup" || fail "migrate and load the demo" "$work/setup"

start_sink "$work/sink" "$work/mail" || fail "start the SMTP sink" "$work/sink"
start_server "$work/serve" APP_DATABASE_URL="$service" SMTP_URL="smtp://127.0.0.1:$smtp_port?tls=none" \
    LOG_LEVEL="${SERVE_LOG_LEVEL:-warning}" || true
[ -n "$server" ] || fail "serve the demo" "$work/serve"

# Each role's home and the main screens are photographed on the way (SCREENSHOTS=dir keeps
# them: `make screenshots` writes the README's, docs/screenshots).
"$python" "$root/Tests/Browser/console_test.py" --base "$base" --maildir "$work/mail" --axe "$axe" --screenshots "${SCREENSHOTS:-$work/screenshots}"
status=$?
[ $status -eq 0 ] || { echo "  the server's log:"; tail -20 "$work/serve" | sed 's/^/    /'; }
exit $status
