#!/usr/bin/env bash
# Creates .venv with the Python packages the tests use (PyJWT, cryptography,
# jwcrypto for interop; pre-commit for the hook test; selenium for the
# browser test), pinned in scripts/requirements-interop.txt.
# Idempotent: reinstalls only when the requirements file changes.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
stamp=.venv/.requirements
if [ -x .venv/bin/python ] && cmp -s scripts/requirements-interop.txt "$stamp" 2>/dev/null; then
  exit 0
fi
"$py" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/requirements-interop.txt
cp scripts/requirements-interop.txt "$stamp"
