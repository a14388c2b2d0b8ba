#!/usr/bin/env bash
# Measure the flash and RAM footprint of the LM3S6965 image (opt-level "z",
# LTO) and the share of it that is the VM. Usage: ./size.sh [MODULE.nlbc]
# The image is linked against an enlarged flash region so that it can be
# measured even while it does not fit the chip's 256 KiB.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/../../../target-board}"
NANOLAMBDA_FLASH_KIB=4096 NANOLAMBDA_MODULE="${1:-}" cargo build --release --quiet
img="$CARGO_TARGET_DIR/thumbv7m-none-eabi/release/nanolambda-lm3s6965"
python3 - "$img" <<'PY'
import subprocess, sys
img = sys.argv[1]
sections = {}
for line in subprocess.run(["readelf", "-S", "-W", img], capture_output=True, text=True).stdout.splitlines():
    parts = line.replace("[ ", "[").split()
    if len(parts) > 6 and parts[1].startswith("."):
        sections[parts[1]] = int(parts[5], 16)
flash = sum(sections.get(s, 0) for s in (".vector_table", ".text", ".rodata", ".data"))
ram = sum(sections.get(s, 0) for s in (".data", ".bss", ".uninit"))
vm = 0
for line in subprocess.run(["nm", "-S", "-C", img], capture_output=True, text=True).stdout.splitlines():
    p = line.split(None, 3)
    if len(p) == 4 and p[2] in "tTrR" and ("vm::" in p[3] or "pytext::" in p[3]):
        vm += int(p[1], 16)
print(f"flash (.vector_table+.text+.rodata+.data): {flash} bytes ({flash/1024:.1f} KiB; chip has 256 KiB)")
print(f"static RAM (.data+.bss): {ram} bytes ({ram/1024:.1f} KiB; chip has 64 KiB, the rest is stack)")
print(f"VM + pytext code and named constants: {vm} bytes ({vm/1024:.1f} KiB)")
PY
