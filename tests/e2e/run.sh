#!/usr/bin/env bash
# End-to-end tests of the capable node with boto3 and the aws CLI against a
# real `nanolambda up` process (see tests/e2e/conftest.py).
#   tests/e2e/run.sh [pytest args...]
# NANOLAMBDA_BIN overrides the binary (default: the debug build made here).
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build --bin nanolambda --bin nanolambda-sensor
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$PWD/$TARGET_DIR" ;; esac
export NANOLAMBDA_BIN="${NANOLAMBDA_BIN:-$TARGET_DIR/debug/nanolambda}"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
export PATH="$PWD/.venv/bin:$PATH"

exec .venv/bin/python -m pytest -q tests/e2e "$@"
