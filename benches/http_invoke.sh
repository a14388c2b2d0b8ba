#!/usr/bin/env bash
# HTTP Lambda `Invoke` of a trivial function on a real node, next to a bare
# actix-web handler returning the same bytes, both driven by wrk with the
# same request (path, headers, body) in the same run.
#   benches/http_invoke.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
conns="${2:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet --bin nanolambda -p nanolambda-mesh
cargo build --release --quiet --bin http_bare -p nanolambda-benches
target="${CARGO_TARGET_DIR:-target}"
data="$(mktemp -d)"
"$target/release/nanolambda" up --http 127.0.0.1:18080 --coap 127.0.0.1:15683 --data "$data" >"$data/node.log" 2>&1 &
node=$!
"$target/release/http_bare" 127.0.0.1:18090 &
bare=$!
trap 'kill $node $bare 2>/dev/null; rm -rf "$data"' EXIT
sleep 1
python3 - <<'PY'
import io, json, urllib.request, zipfile, base64
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("lambda_function.py", "def handler(event, context):\n    return {'ok': True}\n")
body = json.dumps({"FunctionName": "trivial", "Runtime": "python3.12", "Role": "arn:aws:iam::000000000000:role/x",
                   "Handler": "lambda_function.handler", "Code": {"ZipFile": base64.b64encode(buf.getvalue()).decode()}})
req = urllib.request.Request("http://127.0.0.1:18080/2015-03-31/functions", data=body.encode(), method="POST",
    headers={"Content-Type": "application/json", "Authorization":
             "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"})
print("created:", json.load(urllib.request.urlopen(req))["FunctionName"])
PY
lua="$data/post.lua"
cat >"$lua" <<'LUA'
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Amz-Date"] = "20261127T000000Z"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
LUA
for target_url in "http://127.0.0.1:18090" "http://127.0.0.1:18080"; do
  echo "== $target_url"
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$lua" "$target_url/2015-03-31/functions/trivial/invocations" \
    | grep -E "Requests/sec|50%|99%|Non-2xx"
done
