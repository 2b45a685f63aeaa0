#!/usr/bin/env bash
# The Python tools the tests use, pinned, from PyPI into .venv (made once, kept):
# schemathesis (scripts/api-contract.sh), aiosmtpd (scripts/smtp-sink.py), and for the
# browser tests (scripts/browser-tests.sh) selenium and axe-core 4.x, whose axe.min.js
# comes inside the axe-playwright-python wheel (installed without Playwright: selenium
# injects the file itself); openpyxl writes the workbooks of scripts/spreadsheet-tests.sh.
#
#   scripts/python-tools.sh        prints the venv's python once all are there
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/.venv
schemathesis_version=4.32.5
aiosmtpd_version=1.4.6
selenium_version=4.50.0
axe_wheel_version=0.1.8
openpyxl_version=3.1.5

installed() {
    "$venv/bin/python" - "$schemathesis_version" "$aiosmtpd_version" "$selenium_version" "$axe_wheel_version" "$openpyxl_version" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
wanted = {"schemathesis": sys.argv[1], "aiosmtpd": sys.argv[2], "selenium": sys.argv[3], "axe-playwright-python": sys.argv[4], "openpyxl": sys.argv[5]}
sys.exit(0 if all(version(name) == pinned for name, pinned in wanted.items()) else 1)
PY
}

if ! installed; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    { "$venv/bin/pip" install -q "schemathesis==$schemathesis_version" "aiosmtpd==$aiosmtpd_version" "selenium==$selenium_version" "openpyxl==$openpyxl_version" \
        && "$venv/bin/pip" install -q --no-deps "axe-playwright-python==$axe_wheel_version"; } >&2 || {
        echo "python-tools.sh: could not install schemathesis, aiosmtpd, selenium and axe-core into .venv" >&2
        exit 1
    }
fi
echo "$venv/bin/python"
