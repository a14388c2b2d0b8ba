#!/usr/bin/env bash
# Forwarding overhead of the mesh: the same CoAP invocation sent N times,
# sequentially, to node A (function served only by B, so A places and
# forwards it) and directly to B. Prints p50/p90/mean of both and the
# difference, next to A's smoothed RTT to B from `nanolambda status`.
#   benches/mesh_forward.sh [N]        (default 500)
# NANOLAMBDA_BIN overrides the binary (default target/release/nanolambda).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-500}"
BIN="${NANOLAMBDA_BIN:-$PWD/target/release/nanolambda}"
PY="${PY:-$PWD/.venv/bin/python}"
DIR="$(mktemp -d)"
trap 'kill $(cat "$DIR"/pids 2>/dev/null) 2>/dev/null || true; rm -rf "$DIR"' EXIT
port() { "$PY" -c 'import socket,sys; s=socket.socket(socket.AF_INET, int(sys.argv[1])); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"; }
HA=$(port 1); HB=$(port 1); CA=$(port 2); CB=$(port 2)
"$BIN" up --http 127.0.0.1:$HA --coap 127.0.0.1:$CA --data "$DIR/a" --name bench-a --tier edge >"$DIR/a.log" 2>&1 & echo $! >>"$DIR/pids"
sleep 0.5
"$BIN" up --http 127.0.0.1:$HB --coap 127.0.0.1:$CB --data "$DIR/b" --name bench-b --tier edge --join 127.0.0.1:$CA >"$DIR/b.log" 2>&1 & echo $! >>"$DIR/pids"
"$PY" - "$HA" "$HB" "$CA" "$CB" "$N" "$BIN" <<'PYEOF'
import asyncio, io, json, statistics, subprocess, sys, time, urllib.request, zipfile
import boto3
from aiocoap import Context, Message, POST

ha, hb, ca, cb, n, binary = sys.argv[1:7]
n = int(n)
for port in (ha, hb):
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_nanolambda/health", timeout=1); break
        except OSError:
            time.sleep(0.05)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("lambda_function.py", "def handler(event, context):\n    return {'x': event.get('x', 0) + 1}\n")
lam = boto3.client("lambda", endpoint_url=f"http://127.0.0.1:{hb}", region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
# An environment value over the announcement's bound (256 B) keeps the
# function's configuration out of its announcement, so only B can run it and
# A always forwards (this measures forwarding, not migration: otherwise A may
# fetch the module and run it locally, docs/mesh.md "Functions travel").
lam.create_function(FunctionName="fwd", Runtime="python3.12", Role="arn:aws:iam::0:role/x",
                    Handler="lambda_function.handler", Code={"ZipFile": buf.getvalue()},
                    Environment={"Variables": {"BENCH_PAD": "p" * 300}})

async def run(port, count):
    ctx = await Context.create_client_context()
    lat, where = [], set()
    for i in range(count):
        t = time.perf_counter()
        r = await ctx.request(Message(code=POST, uri=f"coap://127.0.0.1:{port}/fn/fwd",
                                      payload=b'{"x": 1}')).response
        lat.append((time.perf_counter() - t) * 1000)
        assert r.code.is_successful(), (r.code, r.payload)
        for opt in r.opt.option_list():
            if opt.number == 65000:
                where.add(opt.value.decode())
    await ctx.shutdown()
    return lat, where

async def main():
    # Wait until A knows B serves the function.
    for _ in range(100):
        try:
            lat, where = await run(ca, 1)
            if where == {"bench-b"}:
                break
        except AssertionError:
            pass
        await asyncio.sleep(0.1)
    await run(ca, 50); await run(cb, 50)  # warm-up
    fwd, w1 = await run(ca, n)
    direct, w2 = await run(cb, n)
    assert w1 == {"bench-b"} and w2 == {"bench-b"}, (w1, w2)
    st = json.loads(subprocess.run([binary, "status", "--coap", f"127.0.0.1:{ca}", "--json"],
                                   capture_output=True, text=True).stdout)
    rtt = next(m["rtt_ms"] for m in st["members"] if m["name"] == "bench-b")
    q = lambda v, p: statistics.quantiles(v, n=100)[p - 1]
    print(f"N={n} sequential CoAP invocations (aiocoap client), load {open('/proc/loadavg').read().split()[0]}")
    for label, v in (("forwarded A->B", fwd), ("direct on B", direct)):
        print(f"  {label:15} p50 {q(v,50):.3f} ms  p90 {q(v,90):.3f} ms  mean {statistics.mean(v):.3f} ms")
    print(f"  overhead p50 {q(fwd,50)-q(direct,50):.3f} ms, mean {statistics.mean(fwd)-statistics.mean(direct):.3f} ms; "
          f"A's smoothed RTT to B {rtt} ms (target: <= 1 RTT + 0.2 ms)")

asyncio.run(main())
PYEOF
