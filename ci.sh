#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then runs
# formatting, lints, the whole test suite, and the no_std builds.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n==> %s\n' "$*"; }

# One clean build per run: incremental artefacts only cost disk (gigabytes
# across the workspace's test binaries) and time.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

log "toolchain"
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install 1.95.0 --profile minimal
rustup component add rustfmt clippy >/dev/null
rustup target add thumbv7m-none-eabi >/dev/null

log "system packages (real CoAP clients, QEMU for the LM3S6965 board)"
if ! command -v coap-client-notls >/dev/null 2>&1 || ! command -v qemu-system-arm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcoap3-bin qemu-system-arm >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcoap3-bin qemu-system-arm >/dev/null
  else
    echo "coap-client-notls or qemu-system-arm is missing: install Debian's libcoap3-bin and qemu-system-arm" >&2
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

log "LM3S6965 board firmware (separate workspace): lints, host unit tests, image"
(
  cd node-firmware/boards/lm3s6965
  cargo fmt -- --check
  cargo clippy --release --locked -- -D warnings
  cargo clippy --release --locked --no-default-features -- -D warnings
  cargo clippy --release --locked --features sensor -- -D warnings
  cargo clippy --release --locked --features sensor-member -- -D warnings
  cargo clippy --release --locked --no-default-features --features sensor -- -D warnings
  cargo test --lib --locked --no-default-features --target x86_64-unknown-linux-gnu
  cargo test --lib --locked --features sensor-member --target x86_64-unknown-linux-gnu
  ./run.sh --build-only
)

log "cargo test"
cargo test --workspace --locked
# The VM as the sensor image builds it (no `fast`, no math-trig/str-percent/
# str-format): the same library tests, and what it refuses to load.
cargo test --locked -p nanolambda-firmware --lib --no-default-features --features unicode,sensor-exec

log "end-to-end: boto3 and the aws CLI against nanolambda up"
tests/e2e/run.sh
