#!/usr/bin/env bash
# Build the LM3S6965 image and boot it under QEMU's lm3s6965evb with
# user-mode networking; the node's CoAP port 5683 is forwarded to
# 127.0.0.1:$PORT on the host, and the host's loopback is 10.0.2.2 inside.
#
# Usage: ./run.sh [--port PORT] [--no-vm] [--features F,G] [--build-only] [-- NODE FLAGS...]
#   --features: extra cargo features, e.g. panic-location or panic-message
#   (the panic report names the source location / the message), sensor (the
#   mesh's sensor node running functions; while that image does not fit the
#   flash, sensor-member is built instead: the node without the interpreter)
#   or sensor-member.
#   NODE FLAGS go to the firmware on its semihosting command line:
#   --gateway A.B.C.D:PORT --name NAME --period SECS --battery PERCENT
#   --ip A.B.C.D/PREFIX --router A.B.C.D --report-path /PATH --trigger FUNCTION
#   (see docs/firmware.md). Example, reports to a CoAP node on the host's
#   port 5683 every 5 s:  ./run.sh --port 5690 -- --gateway 10.0.2.2:5683 --period 5
# With the `vm` feature (the default) the image also carries the function
# runtime; if that image does not fit the chip's 256 KiB of flash the script
# says so and builds the network part alone (as --no-vm does).
# NANOLAMBDA_MODULE / NANOLAMBDA_FUNCTION / NANOLAMBDA_EVENT are read at
# build time (see build.rs). Prints "image: PATH" and "vm: yes|no" before
# booting.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/../../../target-board}"

port=5683
vm=1
build_only=0
features=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || { echo "run.sh: --port needs a value" >&2; exit 2; }; port="$2"; shift 2 ;;
    --no-vm) vm=0; shift ;;
    --build-only) build_only=1; shift ;;
    --features) [ $# -ge 2 ] || { echo "run.sh: --features needs a value" >&2; exit 2; }; features="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "run.sh: unknown option $1 (node flags go after --)" >&2; exit 2 ;;
  esac
done

img="$CARGO_TARGET_DIR/thumbv7m-none-eabi/release/nanolambda-lm3s6965"
exec_vm=yes
# The sensor images leave out `full-python` (a default feature) to save
# flash; `--features sensor,full-python` puts it back.
defaults=""
case ",$features," in
  *,sensor,*|*,sensor-member,*) defaults="--no-default-features" ;;
esac
if [ "$vm" = 1 ]; then
  if ! cargo build --release --quiet $defaults --features "$features" 2>/tmp/nanolambda-board-build.$$; then
    if grep -q "will not fit in region\|overflowed by" /tmp/nanolambda-board-build.$$ \
       && printf ',%s,' "$features" | grep -q ',sensor,'; then
      # The sensor node without its interpreter still joins the mesh,
      # gossips and offloads its trigger.
      echo "run.sh: the sensor image with the VM does not fit 256 KiB of flash yet; building sensor-member (no function execution)" >&2
      features=$(printf ',%s,' "$features" | sed 's/,sensor,/,sensor-member,/; s/^,//; s/,$//')
      exec_vm=no
      cargo build --release --quiet $defaults --features "$features"
    elif grep -q "will not fit in region\|overflowed by" /tmp/nanolambda-board-build.$$; then
      echo "run.sh: the image with the VM does not fit 256 KiB of flash yet; building without it (--no-vm)" >&2
      vm=0
    else
      cat /tmp/nanolambda-board-build.$$ >&2
      rm -f /tmp/nanolambda-board-build.$$
      exit 1
    fi
  fi
  rm -f /tmp/nanolambda-board-build.$$
fi
if [ "$vm" = 0 ]; then
  cargo build --release --quiet --no-default-features --features "$features"
fi
echo "image: $img"
if [ "$vm" = 1 ]; then echo "vm: yes"; else echo "vm: no"; fi
case ",$features," in
  *,sensor,*|*,sensor-member,*) echo "sensor: yes; runs functions: $exec_vm" ;;
esac
[ "$build_only" = 1 ] && exit 0

command -v qemu-system-arm >/dev/null || {
  echo "run.sh: qemu-system-arm is missing (Debian: apt-get install -y qemu-system-arm)" >&2
  exit 1
}
# Semihosting arguments are comma-separated in QEMU's option syntax.
semi="enable=on,target=native,arg=nanolambda"
for a in "$@"; do
  case "$a" in *,*) echo "run.sh: node arguments cannot contain commas: $a" >&2; exit 2 ;; esac
  semi="$semi,arg=$a"
done
exec qemu-system-arm -cpu cortex-m3 -M lm3s6965evb -nographic \
  -semihosting-config "$semi" \
  -nic "user,hostfwd=udp:127.0.0.1:$port-:5683" \
  -kernel "$img"
