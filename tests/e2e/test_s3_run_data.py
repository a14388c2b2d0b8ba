"""`nanolambda run --data DIR`: a local run whose boto3 calls use a stopped
node's S3 store. A node creates a bucket and an object, stops; the handler
run locally reads and writes objects; the restarted node serves what it
wrote. Without --data, or while the node runs, the run says what to do."""

import json
import subprocess

from conftest import BIN, Node
from test_s3_api import client

HANDLER = """
import json
import boto3
from botocore.exceptions import ClientError

def handler(event, context):
    s3 = boto3.client("s3")
    b = event["bucket"]
    try:
        got = s3.get_object(Bucket=b, Key="in/reading.json")
    except ClientError as e:
        return {"error": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}
    reading = json.loads(got["Body"].read())
    s3.put_object(Bucket=b, Key="out/result.json", ContentType="application/json",
                  Body=json.dumps({"double": reading["value"] * 2}), Metadata={"by": "run"})
    s3.delete_object(Bucket=b, Key="in/old.txt")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=b)["Contents"]]
    return {"keys": keys, "modified_type": type(got["LastModified"]).__name__}
"""


def run_local(handler, event, *args):
    return subprocess.run([str(BIN), "run", str(handler), "--event", json.dumps(event), *args],
                          capture_output=True, text=True, timeout=60)


def test_run_with_data_uses_the_node_store(tmp_path):
    data = tmp_path / "data"
    handler = tmp_path / "lambda_function.py"
    handler.write_text(HANDLER)
    event = {"bucket": "local-run"}

    node = Node(data).start()
    try:
        s3 = client(node)
        s3.create_bucket(Bucket="local-run")
        s3.put_object(Bucket="local-run", Key="in/reading.json", Body=b'{"value": 21}')
        s3.put_object(Bucket="local-run", Key="in/old.txt", Body=b"stale")
        # The running node holds the store: the run refuses, saying why.
        busy = run_local(handler, event, "--data", str(data))
        assert busy.returncode != 0
        assert "in use by another process" in busy.stderr, busy.stderr
    finally:
        node.stop()

    # Without --data: a ClientError telling to pass it.
    r = run_local(handler, event)
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["error"] == "NotImplemented" and "--data" in out["message"], out

    r = run_local(handler, event, "--data", str(data))
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout) == {"keys": ["in/reading.json", "out/result.json"],
                                    "modified_type": "datetime"}

    missing = run_local(handler, event, "--data", str(tmp_path / "nope"))
    assert missing.returncode != 0 and "not a directory" in missing.stderr, missing.stderr

    node = Node(data).start()
    try:
        s3 = client(node)
        obj = s3.get_object(Bucket="local-run", Key="out/result.json")
        assert json.loads(obj["Body"].read()) == {"double": 42}
        assert obj["ContentType"] == "application/json"
        assert obj["Metadata"] == {"by": "run"}
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="local-run")["Contents"]]
        assert keys == ["in/reading.json", "out/result.json"]
    finally:
        node.stop()
