#!/usr/bin/env bash
# VM cost on the LM3S6965 image under QEMU: for each benchmark program in
# benches/python/ (at a small event that fits the device's 16 KiB arena),
# compile it, embed it in the firmware, boot it with -icount shift=10 (each
# guest instruction advances the virtual clock by 1024 ns, so the board's
# SysTick milliseconds count Cortex-M3 instructions: 1 ms = 976.6), invoke
# it over CoAP and print fuel (VM instructions), arena peak and ARM
# instructions per invocation. CPU time on a real chip is at least
# instructions / clock (CPI >= 1; 20 ms per million at 50 MHz).
#   benches/firmware_qemu.sh [NAME...]       (needs qemu-system-arm, coap-client-notls)
# NANOLAMBDA_BIN: the nanolambda binary (default target/debug/nanolambda).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin="${NANOLAMBDA_BIN:-$root/target/debug/nanolambda}"
board="$root/node-firmware/boards/lm3s6965"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target-board}-bench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A events=(
  [trivial]='{}'
  [fib]='{"n": 15}'
  [loops]='{"n": 1000}'
  [floats]='{"n": 100}'
  [iot_stream]='{"n": 200, "window": 16}'
  [dicts]='{"n": 20}'
  [exceptions]='{"n": 100}'
  [strings]='{"n": 50, "rounds": 1}'
  [sort]='{"n": 20, "rounds": 1}'
  [iot_payload_batch]='{"n": 5, "rounds": 1}'
  [iot_csv_ingest]='{"rows": 5, "rounds": 1}'
  [json_rt]='{"n": 2}'
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(trivial fib loops floats iot_stream dicts exceptions strings sort iot_payload_batch iot_csv_ingest json_rt)

port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '%-18s %-28s %8s %8s %12s  %s\n' program event fuel arena arm-insns result
for name in "${names[@]}"; do
  event="${events[$name]:-{\}}"
  "$bin" compile "benches/python/$name.py" -o "$work/$name.nlbc" >/dev/null
  (cd "$board" && NANOLAMBDA_MODULE="$work/$name.nlbc" NANOLAMBDA_FUNCTION=bench cargo build --release --quiet)
  qemu-system-arm -cpu cortex-m3 -M lm3s6965evb -nographic -icount shift=10,sleep=on \
    -semihosting-config enable=on,target=native \
    -nic "user,hostfwd=udp:127.0.0.1:$port-:5683" \
    -kernel "$CARGO_TARGET_DIR/thumbv7m-none-eabi/release/nanolambda-lm3s6965" >"$work/$name.log" 2>&1 &
  qemu=$!
  for _ in $(seq 50); do grep -q "dhcp: address" "$work/$name.log" && break; sleep 0.1; done
  result=$(coap-client-notls -B 120 -m post -t 50 -e "$event" "coap://127.0.0.1:$port/fn/bench" 2>&1 | head -c 40 | tr '\n' ' ')
  kill "$qemu"; wait "$qemu" 2>/dev/null || true
  line=$(grep "invoked bench" "$work/$name.log" | tail -1)
  fuel=$(sed -n 's/.*fuel \([0-9]*\).*/\1/p' <<<"$line")
  arena=$(sed -n 's/.*peak arena \([0-9]*\).*/\1/p' <<<"$line")
  ms=$(sed -n 's/.* in \([0-9]*\) ms.*/\1/p' <<<"$line")
  insns=$(python3 -c "print(round(${ms:-0} * 1e6 / 1024))")
  printf '%-18s %-28s %8s %8s %12s  %s\n' "$name" "$event" "${fuel:-?}" "${arena:-?}" "$insns" "$result"
done
