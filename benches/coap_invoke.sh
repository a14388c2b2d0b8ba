#!/usr/bin/env bash
# Warm CoAP invocation of a trivial function on a real `nanolambda up` node,
# next to a raw UDP echo (and the CoAP endpoint with an in-process service)
# measured by the same load generator (`coap_load`) in the same run.
#   [BIN=DIR] [ROUNDS=R] benches/coap_invoke.sh [SECONDS] [CLIENTS] [extra `nanolambda up` args...]
# Prints req/s and p50/p99 per target and the node / raw echo ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-5}"
clients="${2:-32}"
shift 2 2>/dev/null || shift $#
# BIN=DIR runs prebuilt `nanolambda` and `coap_load` from DIR instead of building.
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin nanolambda -p nanolambda-mesh
  cargo build --release --quiet --bin coap_load -p nanolambda-benches
  BIN="${CARGO_TARGET_DIR:-target}/release"
fi
data="$(mktemp -d)"
http_port=$((20000 + RANDOM % 20000))
coap_port=$((http_port + 1))
"$BIN/nanolambda" up --http "127.0.0.1:$http_port" --coap "127.0.0.1:$coap_port" \
  --data "$data" "$@" >"$data/node.log" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do
  grep -q ready "$data/node.log" 2>/dev/null && break
  sleep 0.1
done
py=python3
[ -x .venv/bin/python ] && py=.venv/bin/python
# Deploy with boto3 (the node verifies SigV4; credentials test/test).
HTTP_PORT="$http_port" "$py" - <<'PY'
import io, os, zipfile
import boto3
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("lambda_function.py", "def handler(event, context):\n    return {'ok': True}\n")
client = boto3.client("lambda", endpoint_url=f"http://127.0.0.1:{os.environ['HTTP_PORT']}",
                      region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
r = client.create_function(FunctionName="trivial", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/x",
                           Handler="lambda_function.handler", Code={"ZipFile": buf.getvalue()})
print("created:", r["FunctionName"])
PY
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
# The node's CPU time (user + system clock ticks) over the run: per request,
# it is the figure least disturbed by other work on a shared machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$node/stat"; }
before="$(cpu_ticks)"
"$BIN/coap_load" --clients "$clients" --seconds "$secs" --rounds "${ROUNDS:-1}" --node "127.0.0.1:$coap_port" --function trivial \
  | tee "$data/load.txt"
after="$(cpu_ticks)"
awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" -v secs="$secs" '
  /^node / { for (i = 1; i <= NF; i++) if ($i ~ /^req\/s=/) { v = $i; sub(/req\/s=/, "", v); if (v == "") v = $(i + 1); n += v * secs } }
  END { if (n > 0) printf "node CPU: %.2f s for %d requests = %.1f us per request\n", ticks / hz, n, 1e6 * ticks / hz / n }
' "$data/load.txt"
