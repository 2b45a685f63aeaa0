#!/usr/bin/env bash
# The Python tools the tests use, pinned, from PyPI into .venv (made once, kept):
# schemathesis (scripts/api-contract.sh) and aiosmtpd (scripts/smtp-sink.py).
#
#   scripts/python-tools.sh        prints the venv's python once both are there
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/.venv
schemathesis_version=4.32.5
aiosmtpd_version=1.4.6

installed() {
    "$venv/bin/python" - "$schemathesis_version" "$aiosmtpd_version" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version("schemathesis") == sys.argv[1] and version("aiosmtpd") == sys.argv[2] else 1)
PY
}

if ! installed; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$schemathesis_version" "aiosmtpd==$aiosmtpd_version" >&2 || {
        echo "python-tools.sh: could not install schemathesis $schemathesis_version and aiosmtpd $aiosmtpd_version into .venv" >&2
        exit 1
    }
fi
echo "$venv/bin/python"
