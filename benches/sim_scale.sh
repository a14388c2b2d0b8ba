#!/usr/bin/env bash
# Scale benchmark of the simulator: 100,000 sensors + 250 gateways + 1 cloud
# for one simulated hour (sim/scenarios/scale_100k.toml), one policy.
# Reports wall time, events/s (printed by the simulator) and peak RSS.
# The machine is shared: note the load average printed first.
#
# Usage: benches/sim_scale.sh [policy] (default nanolambda)
set -euo pipefail
cd "$(dirname "$0")/.."
policy="${1:-nanolambda}"
target="${CARGO_TARGET_DIR:-target}"
cargo build --release -p nanolambda-sim --bin nanolambda-sim >&2
bin="$target/release/nanolambda-sim"
out="$(mktemp -d)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "peak RSS: %M KiB, CPU: %U s user + %S s sys" "$bin" run sim/scenarios/scale_100k.toml --policy "$policy" --out "$out"
else
  echo "(GNU time not installed: no peak RSS figure; apt-get install time)"
  "$bin" run sim/scenarios/scale_100k.toml --policy "$policy" --out "$out"
fi
end=$(date +%s.%N)
echo "wall: $(echo "$end - $start" | bc) s (scenario load and function profiling included)"
rm -rf "$out"
