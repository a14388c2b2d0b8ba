#!/usr/bin/env bash
# What bounds a large PutObject on this machine, measured side by side in
# one run: MD5 on one core (the md-5 crate the node uses, soft and with its
# `asm` back end, and OpenSSL's for reference) and the disk's raw
# sequential write rate (dd of 256 MiB with fsync, as benches/s3_bench.py
# measures it). A PUT's ETag is the MD5 of the body and one body's MD5
# cannot be split across cores, so min(MD5 rate, disk rate) caps a
# single-part PUT whatever else the node does.
#   benches/md5_bound.sh [MIB] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
mib="${1:-256}"
rounds="${2:-3}"
target="${CARGO_TARGET_DIR:-target}"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

cargo build --release --quiet -p nanolambda-benches --bin md5_rate
"$target/release/md5_rate" --mib "$mib" --rounds "$rounds"
cargo build --release --quiet -p nanolambda-benches --bin md5_rate --features md5-asm
"$target/release/md5_rate" --mib "$mib" --rounds "$rounds"

# OpenSSL's MD5 on 1 MiB buffers (k = 1000 bytes per second), by CPU time
# (its default) and by wall-clock time (-elapsed).
for how in cpu elapsed; do
  flag=""; [ "$how" = elapsed ] && flag="-elapsed"
  openssl speed $flag -seconds 3 -bytes 1048576 -evp md5 2>/dev/null | awk -v how="$how" '/^md5/ {
    printf "{\"backend\": \"openssl evp\", \"by\": \"%s\", \"mib_s\": %.0f}\n", how, $2 * 1000 / 1048576 }'
done

mkdir -p "$target"
dir="$(mktemp -d -p "$target" md5bound.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
head -c "$((mib * 1048576))" /dev/urandom >"$dir/src"
for _ in $(seq "$rounds"); do
  rm -f "$dir/dst"
  secs=$(dd if="$dir/src" of="$dir/dst" bs=1M conv=fsync 2>&1 | awk '/copied/ {print $(NF-3)}')
  awk -v m="$mib" -v s="$secs" 'BEGIN { printf "{\"raw_disk_write_mib_s\": %.0f}\n", m / s }'
done
