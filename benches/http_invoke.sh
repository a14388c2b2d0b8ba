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
py=".venv/bin/python"
[ -x "$py" ] || py=python3   # needs boto3 (tests/requirements.txt)
lua="$data/post.lua"
# Deploy with boto3, then sign one Invoke request with botocore's SigV4 (the
# node verifies signatures; a signature stays valid for 15 minutes) and
# replay exactly those headers with wrk against both servers.
LUA="$lua" "$py" - <<'PY'
import io, os, zipfile
import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("lambda_function.py", "def handler(event, context):\n    return {'ok': True}\n")
lam = boto3.client("lambda", endpoint_url="http://127.0.0.1:18080", region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
lam.create_function(FunctionName="trivial", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/x",
                    Handler="lambda_function.handler", Code={"ZipFile": buf.getvalue()})
print("created: trivial")
url = "http://127.0.0.1:18080/2015-03-31/functions/trivial/invocations"
req = AWSRequest(method="POST", url=url, data=b"{}", headers={"Content-Type": "application/json"})
SigV4Auth(Credentials("test", "test"), "lambda", "us-east-1").add_auth(req)
with open(os.environ["LUA"], "w") as f:
    f.write('wrk.method = "POST"\nwrk.body = "{}"\n')
    for k, v in req.headers.items():
        if k.lower() != "host":
            f.write(f'wrk.headers["{k}"] = "{v}"\n')
PY
for target_url in "http://127.0.0.1:18090" "http://127.0.0.1:18080"; do
  echo "== $target_url"
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$lua" "$target_url/2015-03-31/functions/trivial/invocations" \
    | grep -E "Requests/sec|50%|99%|Non-2xx"
done
