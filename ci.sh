#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then runs
# formatting, lints, the whole test suite, and the no_std builds.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n==> %s\n' "$*"; }

log "toolchain"
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install 1.95.0 --profile minimal
rustup component add rustfmt clippy >/dev/null
rustup target add thumbv7m-none-eabi >/dev/null

log "system packages (real CoAP clients)"
if ! command -v coap-client-notls >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcoap3-bin >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcoap3-bin >/dev/null
  else
    echo "coap-client-notls is missing: install Debian's libcoap3-bin" >&2
    exit 1
  fi
fi

log "python tools (virtualenv .venv)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
export PATH="$PWD/.venv/bin:$PATH"

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "no_std builds for thumbv7m-none-eabi"
cargo build --locked -p nanolambda-protocol --target thumbv7m-none-eabi
cargo build --locked -p nanolambda-firmware --no-default-features --target thumbv7m-none-eabi

log "cargo test"
cargo test --workspace --locked

log "end-to-end: boto3 and the aws CLI against nanolambda up"
tests/e2e/run.sh
