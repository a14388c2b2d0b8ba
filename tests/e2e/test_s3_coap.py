"""CoAP access to S3 (`nanolambda up --coap-s3`): GET/PUT/DELETE on
`/s3/<bucket>/<key>` with libcoap's `coap-client` and `aiocoap-client`,
block-wise both ways (a 10 KB object), 4.04 for a missing key, the
notification a CoAP PUT raises, and 4.03 on a node without the flag."""

import hashlib
import random
import shutil
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Node, make_zip
from test_s3_api import REGION, client

COAP_CLIENT = shutil.which("coap-client-notls") or shutil.which("coap-client")
_VENV_AIOCOAP = Path(sys.executable).parent / "aiocoap-client"
AIOCOAP = str(_VENV_AIOCOAP) if _VENV_AIOCOAP.exists() else shutil.which("aiocoap-client")


@pytest.fixture(scope="module")
def s3node(tmp_path_factory):
    n = Node(tmp_path_factory.mktemp("coaps3") / "data", extra_args=["--coap-s3"]).start()
    yield n
    n.stop()


@pytest.fixture(scope="module")
def s3(s3node):
    c = client(s3node)
    c.create_bucket(Bucket="sensors")
    return c


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, timeout=30)


def ten_kb(tmp_path, seed):
    rnd = random.Random(seed)
    data = "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(10_240)).encode()
    path = tmp_path / f"obj-{seed}.txt"
    path.write_bytes(data)
    return path, data


def test_coap_client_blockwise_put_get_delete(s3node, s3, tmp_path):
    assert COAP_CLIENT, "coap-client-notls (Debian libcoap3-bin) is not installed"
    url = f"coap://127.0.0.1:{s3node.coap_port}/s3/sensors/in/reading-1.txt"
    src, data = ten_kb(tmp_path, 1)
    r = run(COAP_CLIENT, "-m", "put", "-b", "1024", "-f", src, url)
    assert r.returncode == 0, r.stderr
    # The same object over HTTP, byte for byte.
    obj = s3.get_object(Bucket="sensors", Key="in/reading-1.txt")
    assert obj["Body"].read() == data
    assert obj["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    # Block2 GET back.
    out = tmp_path / "got"
    r = run(COAP_CLIENT, "-m", "get", "-b", "1024", "-o", out, url)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == data
    # Missing key: 4.04 with the S3 code as diagnostic.
    r = run(COAP_CLIENT, "-m", "get", f"coap://127.0.0.1:{s3node.coap_port}/s3/sensors/missing")
    assert b"4.04" in r.stdout + r.stderr and b"NoSuchKey" in r.stdout + r.stderr
    r = run(COAP_CLIENT, "-m", "get", f"coap://127.0.0.1:{s3node.coap_port}/s3/nobucket/k")
    assert b"4.04" in r.stdout + r.stderr and b"NoSuchBucket" in r.stdout + r.stderr
    # DELETE.
    r = run(COAP_CLIENT, "-m", "delete", url)
    assert r.returncode == 0, r.stderr
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket="sensors", Key="in/reading-1.txt")


@pytest.mark.skipif(AIOCOAP is None, reason="aiocoap-client not installed")
def test_aiocoap_client_put_and_get(s3node, s3, tmp_path):
    url = f"coap://127.0.0.1:{s3node.coap_port}/s3/sensors/aio/reading-2.txt"
    src, data = ten_kb(tmp_path, 2)
    r = run(AIOCOAP, "-m", "PUT", "--payload", f"@{src}", url)
    assert r.returncode == 0, r.stderr
    assert s3.get_object(Bucket="sensors", Key="aio/reading-2.txt")["Body"].read() == data
    r = run(AIOCOAP, url)
    assert r.returncode == 0, r.stderr
    assert r.stdout == data
    r = run(AIOCOAP, f"coap://127.0.0.1:{s3node.coap_port}/s3/sensors/aio/missing")
    assert b"4.04" in r.stdout + r.stderr


COPIER = """
import boto3

def handler(event, context):
    s3 = boto3.client("s3")
    rec = event["Records"][0]
    bucket = rec["s3"]["bucket"]["name"]
    key = rec["s3"]["object"]["key"]
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    s3.put_object(Bucket=bucket, Key="seen/" + key, Body=str(len(body)))
    return len(body)
"""


def test_coap_put_raises_the_notification(s3node, s3, tmp_path):
    assert COAP_CLIENT, "coap-client-notls (Debian libcoap3-bin) is not installed"
    lam = s3node.client()
    name = "coap-s3-copier"
    lam.create_function(FunctionName=name, Runtime="python3.12",
                        Role="arn:aws:iam::000000000000:role/lambda",
                        Handler="lambda_function.handler",
                        Code={"ZipFile": make_zip({"lambda_function.py": COPIER})})
    try:
        s3.put_bucket_notification_configuration(Bucket="sensors", NotificationConfiguration={
            "LambdaFunctionConfigurations": [{
                "LambdaFunctionArn": f"arn:aws:lambda:{REGION}:000000000000:function:{name}",
                "Events": ["s3:ObjectCreated:Put"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "up/"}]}}}]})
        src, data = ten_kb(tmp_path, 3)
        url = f"coap://127.0.0.1:{s3node.coap_port}/s3/sensors/up/r3.txt"
        r = run(COAP_CLIENT, "-m", "put", "-b", "512", "-f", src, url)
        assert r.returncode == 0, r.stderr
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                got = s3.get_object(Bucket="sensors", Key="seen/up/r3.txt")["Body"].read()
                break
            except s3.exceptions.NoSuchKey:
                time.sleep(0.1)
        else:
            raise AssertionError("the function never ran")
        assert got == str(len(data)).encode()
    finally:
        s3.put_bucket_notification_configuration(Bucket="sensors", NotificationConfiguration={})
        lam.delete_function(FunctionName=name)


def test_refused_without_the_flag(node):
    assert COAP_CLIENT, "coap-client-notls (Debian libcoap3-bin) is not installed"
    r = run(COAP_CLIENT, "-m", "get", f"coap://127.0.0.1:{node.coap_port}/s3/sensors/k")
    assert b"4.03" in r.stdout + r.stderr
    assert b"--coap-s3" in r.stdout + r.stderr
    r = run(COAP_CLIENT, "-m", "put", "-e", "x", f"coap://127.0.0.1:{node.coap_port}/s3/sensors/k")
    assert b"4.03" in r.stdout + r.stderr
