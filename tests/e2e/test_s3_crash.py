"""Crash safety of the S3 store: a writer uploads continuously, the node is
killed with SIGKILL mid-stream and restarted; every acknowledged object is
there with the right MD5, and no object is torn (each one's body is one
that was written in full, matching its ETag)."""

import hashlib
import json
import subprocess
import sys
import time

import boto3
from botocore.config import Config

from conftest import Node

WRITER = r"""
import hashlib, json, os, random, sys
import boto3
from botocore.config import Config
url, log_path = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                  aws_secret_access_key="test",
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10))
log = open(log_path, "a")
def note(kind, key, md5):
    log.write(json.dumps([kind, key, md5]) + "\n"); log.flush(); os.fsync(log.fileno())
i = 0
while True:
    key = f"k{i % 40}"
    body = os.urandom(random.choice([100, 4096, 70000, 1 << 20, 3 << 20]))
    md5 = hashlib.md5(body).hexdigest()
    note("start", key, md5)
    try:
        r = s3.put_object(Bucket="crash", Key=key, Body=body)
    except Exception as e:
        print("writer stopped:", e, file=sys.stderr)
        break
    assert r["ETag"] == f'"{md5}"'
    note("ack", key, md5)
    i += 1
"""


def client(node):
    return boto3.client("s3", endpoint_url=node.url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                      retries={"max_attempts": 1}))


def test_kill9_mid_stream_keeps_every_acknowledged_object(tmp_path):
    data = tmp_path / "data"
    node = Node(data).start()
    try:
        client(node).create_bucket(Bucket="crash")
        log = tmp_path / "writer.log"
        writer = subprocess.Popen([sys.executable, "-c", WRITER, node.url, str(log)],
                                  stderr=subprocess.PIPE)
        deadline = time.time() + 30
        while time.time() < deadline:
            acks = sum(1 for line in log.read_text().splitlines() if '"ack"' in line) if log.exists() else 0
            if acks >= 60:
                break
            time.sleep(0.05)
        node.kill9()
        writer.wait(30)
    finally:
        node.stop()
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    acked, attempted_after = {}, {}
    for kind, key, md5 in entries:
        if kind == "ack":
            acked[key] = md5
            attempted_after[key] = set()
        else:
            attempted_after.setdefault(key, set()).add(md5)
    assert len(acked) >= 10, "the writer made too little progress"
    node = Node(data, http_port=node.http_port, coap_port=node.coap_port).start()
    try:
        s3 = client(node)
        for key, md5 in acked.items():
            body = s3.get_object(Bucket="crash", Key=key)["Body"].read()
            got = hashlib.md5(body).hexdigest()
            # The acknowledged body, or a later one whose PUT was in flight.
            assert got == md5 or got in attempted_after[key], key
        for o in s3.list_objects_v2(Bucket="crash").get("Contents", []):
            body = s3.get_object(Bucket="crash", Key=o["Key"])["Body"].read()
            assert len(body) == o["Size"]
            assert f'"{hashlib.md5(body).hexdigest()}"' == o["ETag"], f"torn object {o['Key']}"
        # Nothing left behind in the temporary directory.
        assert list((data / "s3" / "tmp").iterdir()) == []
    finally:
        node.stop()
