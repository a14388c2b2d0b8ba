#!/usr/bin/env python3
"""S3 from inside a function: put_object / get_object / head_object /
list_objects_v2 rates as the function measures them (boto3 in the VM, the
node's local store), for small objects.

    benches/s3_function_bench.py [N] [SIZE]      (defaults: 500 calls of 4096 bytes)

Starts `nanolambda up` ($NANOLAMBDA_BIN, default target/release/nanolambda,
else target/debug/nanolambda) on free loopback ports with a temporary data
directory. Each put is fsynced and committed before it returns, as over HTTP.
The machine is shared: note the load average printed with the figures."""

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]

FUNCTION = """
import time
import boto3

s3 = boto3.client("s3")

def handler(event, context):
    n, body = event["n"], b"x" * event["size"]
    t0 = time.monotonic()
    for i in range(n):
        s3.put_object(Bucket="bench", Key="k%05d" % i, Body=body)
    t1 = time.monotonic()
    total = 0
    for i in range(n):
        total += len(s3.get_object(Bucket="bench", Key="k%05d" % i)["Body"].read())
    t2 = time.monotonic()
    for i in range(n):
        s3.head_object(Bucket="bench", Key="k%05d" % i)
    t3 = time.monotonic()
    pages = 0
    token = None
    while True:
        kw = {"Bucket": "bench", "MaxKeys": 100}
        if token:
            kw["ContinuationToken"] = token
        page = s3.list_objects_v2(**kw)
        pages += 1
        token = page.get("NextContinuationToken")
        if not token:
            break
    t4 = time.monotonic()
    assert total == n * len(body)
    return {"put_per_s": n / (t1 - t0), "get_per_s": n / (t2 - t1),
            "head_per_s": n / (t3 - t2), "list_pages_per_s": pages / (t4 - t3)}
"""


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
    binary = os.environ.get("NANOLAMBDA_BIN") or next(
        str(p) for p in (ROOT / "target/release/nanolambda", ROOT / "target/debug/nanolambda")
        if p.exists())
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(k, "test")
    http = free_port()
    with tempfile.TemporaryDirectory() as data:
        log = open(Path(data).parent / f"{Path(data).name}.log", "wb")
        node = subprocess.Popen([binary, "up", "--http", f"127.0.0.1:{http}", "--coap",
                                 f"127.0.0.1:{free_port(socket.SOCK_DGRAM)}", "--data", data],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{http}"
            for _ in range(200):
                try:
                    urllib.request.urlopen(url + "/_nanolambda/health", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.05)
            cfg = Config(s3={"addressing_style": "path"}, read_timeout=600)
            s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", config=cfg)
            lam = boto3.client("lambda", endpoint_url=url, region_name="us-east-1", config=cfg)
            s3.create_bucket(Bucket="bench")
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                z.writestr("lambda_function.py", FUNCTION)
            lam.create_function(FunctionName="s3bench", Runtime="python3.12",
                                Role="arn:aws:iam::000000000000:role/x",
                                Handler="lambda_function.handler", Code={"ZipFile": buf.getvalue()},
                                Timeout=900, MemorySize=256)
            r = lam.invoke(FunctionName="s3bench", Payload=json.dumps({"n": n, "size": size}))
            out = json.loads(r["Payload"].read())
            if "FunctionError" in r:
                raise SystemExit(f"function failed: {out}")
            print(f"binary {binary}; load average {os.getloadavg()[0]:.1f}; "
                  f"{n} objects of {size} bytes")
            for k, v in out.items():
                print(f"  {k:18} {v:10.0f}")
        finally:
            node.terminate()
            node.wait(10)
            log.close()


if __name__ == "__main__":
    main()
