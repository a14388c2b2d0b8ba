#!/usr/bin/env bash
# S3 PutObject/GetObject throughput of a real node (4 KiB and 64 MiB
# objects over loopback) next to the raw sequential write/read speed of the
# same disk, measured in the same run (see benches/s3_bench.py).
#   benches/s3_bench.sh [SECONDS] [ROUNDS]
# NANOLAMBDA_BIN overrides the node binary (default: a release build made here).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-5}"
rounds="${2:-3}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
target="${CARGO_TARGET_DIR:-target}"
if [ -z "${NANOLAMBDA_BIN:-}" ]; then
  cargo build --release --quiet --bin nanolambda -p nanolambda-mesh
  NANOLAMBDA_BIN="$target/release/nanolambda"
fi
mkdir -p "$target"
data="$(mktemp -d -p "$target" s3bench.XXXXXX)"
port=18180
"$NANOLAMBDA_BIN" up --http 127.0.0.1:$port --coap 127.0.0.1:15783 --data "$data/node" >"$data/node.log" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null; wait $node 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/_nanolambda/health" >/dev/null && break
  sleep 0.1
done
python3 benches/s3_bench.py --url "http://127.0.0.1:$port" --data "$data" --secs "$secs" --rounds "$rounds"
