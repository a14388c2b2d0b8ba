#!/usr/bin/env bash
# Measure the flash and RAM footprint of the LM3S6965 image (opt-level "z",
# LTO, codegen-units 1, panic abort: the [profile.release] of this crate) and
# where the flash goes. Usage: ./size.sh [MODULE.nlbc] [TOP]
#   TOP: how many of the largest symbols to list (default 15).
# The image is linked against an enlarged flash region so that it can be
# measured even while it does not fit the chip's 256 KiB.
# Areas are summed from symbol sizes (`nm -S`); with LTO a function inlined
# into another counts where it landed (libm inside `math` builtins, for
# example), and code or strings without a symbol (string literals, outlined
# fragments) show up as "no symbol".
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/../../../target-board}"
# The sensor images build without default features (no `full-python`), as
# run.sh builds them.
defaults=""
case ",${FEATURES:-}," in
  *,sensor,*|*,sensor-member,*) defaults="--no-default-features" ;;
esac
NANOLAMBDA_FLASH_KIB=4096 NANOLAMBDA_MODULE="${1:-}" cargo build --release --quiet $defaults ${FEATURES:+--features "$FEATURES"}
img="$CARGO_TARGET_DIR/thumbv7m-none-eabi/release/nanolambda-lm3s6965"
python3 - "$img" "${2:-15}" <<'PY'
import subprocess, sys
img, top = sys.argv[1], int(sys.argv[2])
sections = {}
for line in subprocess.run(["readelf", "-S", "-W", img], capture_output=True, text=True).stdout.splitlines():
    parts = line.replace("[ ", "[").split()
    if len(parts) > 6 and parts[1].startswith("."):
        sections[parts[1]] = int(parts[5], 16)
flash = sum(sections.get(s, 0) for s in (".vector_table", ".text", ".rodata", ".data"))
ram = sum(sections.get(s, 0) for s in (".data", ".bss", ".uninit"))
AREAS = [
    ("VM (vm::)", ("nanolambda_firmware::vm::",)),
    ("text engine (pytext::)", ("nanolambda_firmware::pytext::",)),
    ("sensor node (nanolambda_firmware, rest)", ("nanolambda_firmware::",)),
    ("protocol", ("nanolambda_protocol::",)),
    ("libm", ("libm::",)),
    ("compiler_builtins (soft float, mem*)", ("compiler_builtins::", "__aeabi")),
    ("smoltcp", ("smoltcp::",)),
    ("coap-lite", ("coap_lite::",)),
    ("board crate", ("nanolambda_lm3s6965::",)),
    ("core/alloc", ()),
]
areas = {name: 0 for name, _ in AREAS}
areas["other symbols"] = 0
symbols = []
vm = 0
for line in subprocess.run(["nm", "-S", "-C", img], capture_output=True, text=True).stdout.splitlines():
    p = line.split(None, 3)
    if len(p) != 4 or p[2] not in "tTrRdD":
        continue
    size, name = int(p[1], 16), p[3]
    symbols.append((size, name))
    if "vm::" in name or "pytext::" in name:
        vm += size
    # `<T as Trait>::f` counts for the crate of `T`.
    key = name.lstrip("<&*")
    area = next((a for a, prefixes in AREAS if key.startswith(prefixes)), None)
    if area is None:
        generic = "core::" in name or "alloc::" in name or name.startswith("<")
        area = "core/alloc" if generic else "other symbols"
    areas[area] += size
named = sum(areas.values())
print(f"flash (.vector_table+.text+.rodata+.data): {flash} bytes ({flash/1024:.1f} KiB; chip has 256 KiB)")
print(f"static RAM (.data+.bss): {ram} bytes ({ram/1024:.1f} KiB; chip has 64 KiB, the rest is stack)")
print(f"VM + pytext code and named constants: {vm} bytes ({vm/1024:.1f} KiB)")
print("flash by area:")
for area, size in sorted(areas.items(), key=lambda kv: -kv[1]):
    if size:
        print(f"  {size:8d}  {area}")
print(f"  {max(flash - named, 0):8d}  no symbol (string literals, outlined code, padding)")
print(f"largest {top} symbols:")
for size, name in sorted(symbols, reverse=True)[:top]:
    print(f"  {size:8d}  {name[:110]}")
PY
