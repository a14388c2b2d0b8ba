#!/usr/bin/env bash
# Flash and static RAM of the LM3S6965 image, with and without the VM:
#   network part alone (--no-default-features: driver, smoltcp, CoAP, app)
#   and the whole image (default features: + VM), the latter linked against
#   an enlarged flash region so it can be measured while it does not fit.
# Prints flash (.vector_table+.text+.rodata+.data), static RAM (.data+.bss)
# and the largest statics (the RAM map). Usage: ./footprint.sh
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/../../../target-board}"
img="$CARGO_TARGET_DIR/thumbv7m-none-eabi/release/nanolambda-lm3s6965"
report() {
  python3 - "$img" "$1" <<'PY'
import subprocess, sys
img, label = sys.argv[1], sys.argv[2]
sections = {}
for line in subprocess.run(["readelf", "-S", "-W", img], capture_output=True, text=True).stdout.splitlines():
    parts = line.replace("[ ", "[").split()
    if len(parts) > 6 and parts[1].startswith("."):
        sections[parts[1]] = int(parts[5], 16)
flash = sum(sections.get(s, 0) for s in (".vector_table", ".text", ".rodata", ".data"))
ram = sum(sections.get(s, 0) for s in (".data", ".bss", ".uninit"))
print(f"== {label}")
print(f"flash: {flash} B ({flash/1024:.1f} KiB)   static RAM: {ram} B ({ram/1024:.1f} KiB)"
      f"   left for the stack: {65536-ram} B ({(65536-ram)/1024:.1f} KiB)")
statics = []
for line in subprocess.run(["nm", "-S", "-C", img], capture_output=True, text=True).stdout.splitlines():
    p = line.split(None, 3)
    if len(p) == 4 and p[2] in "bBdD":
        statics.append((int(p[1], 16), p[3].split("::")[-1]))
statics.sort(reverse=True)
big = [s for s in statics if s[0] >= 128]
for size, name in big:
    print(f"  {size:6d} B  {name}")
print(f"  {sum(s for s, _ in statics) - sum(s for s, _ in big):6d} B  (smaller statics)")
PY
}
cargo build --release --quiet --no-default-features
report "network part alone (no VM)"
NANOLAMBDA_FLASH_KIB=4096 cargo build --release --quiet
report "whole image (VM + network), flash region enlarged for measuring"
# Leave a runnable image behind, as run.sh would.
cargo build --release --quiet --no-default-features 2>/dev/null || true
