"""1000 concurrent invocations: every one answered (200 or 429), none dropped."""

import json
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from conftest import Node, make_zip


def test_thousand_concurrent_invocations(node, create):
    name = create()
    lam = node.client(max_pool_connections=64)

    def one(i):
        try:
            r = lam.invoke(FunctionName=name, Payload=json.dumps({"values": [i, 1]}).encode())
            body = json.loads(r["Payload"].read())
            assert body["sum"] == i + 1
            return r["StatusCode"]
        except ClientError as e:
            code = e.response["ResponseMetadata"]["HTTPStatusCode"]
            assert code == 429 and e.response["Error"]["Code"] == "TooManyRequestsException"
            return code

    with ThreadPoolExecutor(64) as pool:
        codes = list(pool.map(one, range(1000)))
    assert len(codes) == 1000
    assert set(codes) <= {200, 429}
    assert codes.count(200) > 0
    assert node.alive()


def test_full_executor_queue_answers_429(tmp_path):
    """One worker, two waiting slots, a slow function: the overflow is refused
    with TooManyRequestsException, the rest succeed, the node stays up."""
    node = Node(tmp_path / "data", extra_args=["--workers", "1", "--queue-capacity", "2"]).start()
    try:
        lam = node.client(max_pool_connections=32)
        src = ("import time\ndef handler(e, c):\n    t = time.time()\n"
               "    while time.time() - t < 0.2:\n        pass\n    return 1\n")
        lam.create_function(FunctionName="slow", Runtime="python3.12", Role="r",
                            Handler="lambda_function.handler",
                            Code={"ZipFile": make_zip({"lambda_function.py": src})})

        def one(_):
            try:
                return lam.invoke(FunctionName="slow", Payload=b"{}")["StatusCode"]
            except ClientError as e:
                assert e.response["Error"]["Code"] == "TooManyRequestsException"
                return e.response["ResponseMetadata"]["HTTPStatusCode"]

        with ThreadPoolExecutor(24) as pool:
            codes = list(pool.map(one, range(24)))
        assert set(codes) == {200, 429}, codes
        assert node.alive()
        import urllib.request
        text = urllib.request.urlopen(node.url + "/_nanolambda/metrics").read().decode()
        assert 'nanolambda_throttles_total{function="slow"}' in text
    finally:
        node.stop()
