"""Durability: everything acknowledged survives kill -9."""

import json
import time

from conftest import Node, make_zip


def test_kill9_and_restart_keeps_functions(tmp_path):
    node = Node(tmp_path / "data", name="restart-node").start()
    try:
        lam = node.client()
        lam.create_function(FunctionName="durable", Runtime="python3.12", Role="r",
                            Handler="lambda_function.handler", Publish=True,
                            Code={"ZipFile": make_zip({"lambda_function.py":
                                  "def handler(e, c):\n    return e['n'] * 2\n"})})
        lam.create_alias(FunctionName="durable", Name="live", FunctionVersion="1")
        lam.update_function_configuration(FunctionName="durable", Timeout=9)
        node.kill9()
        node.start()
        lam = node.client()
        r = lam.invoke(FunctionName="durable", Payload=b'{"n": 21}')
        assert json.loads(r["Payload"].read()) == 42
        r = lam.invoke(FunctionName="durable", Qualifier="live", Payload=b'{"n": 1}')
        assert r["ExecutedVersion"] == "1"
        assert lam.get_function_configuration(FunctionName="durable")["Timeout"] == 9
        import urllib.request
        h = json.loads(urllib.request.urlopen(node.url + "/_nanolambda/health").read())
        assert h["node"] == "restart-node"
    finally:
        node.stop()


def test_generated_name_is_stable(tmp_path):
    node = Node(tmp_path / "data").start()
    import urllib.request
    first = json.loads(urllib.request.urlopen(node.url + "/_nanolambda/health").read())["node"]
    node.stop()
    node.start()
    second = json.loads(urllib.request.urlopen(node.url + "/_nanolambda/health").read())["node"]
    node.stop()
    assert first == second and first.startswith("node-")


def test_queued_events_survive_kill9(tmp_path):
    node = Node(tmp_path / "data").start()
    try:
        lam = node.client()
        # a slow function keeps the queue busy, so some events are still queued at the kill
        lam.create_function(FunctionName="slow", Runtime="python3.12", Role="r",
                            Handler="lambda_function.handler", Timeout=5,
                            Code={"ZipFile": make_zip({"lambda_function.py":
                                  "import time\ndef handler(e, c):\n    t = time.time()\n"
                                  "    while time.time() - t < 0.3:\n        pass\n    return 1\n"})})
        for _ in range(20):
            assert lam.invoke(FunctionName="slow", InvocationType="Event", Payload=b"{}")["StatusCode"] == 202
        node.kill9()
        node.start()
        import urllib.request
        deadline = time.time() + 30
        while time.time() < deadline:
            text = urllib.request.urlopen(node.url + "/_nanolambda/metrics").read().decode()
            if "nanolambda_event_queue_depth 0" in text:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("queued events never drained after restart")
        assert 'nanolambda_invocations_total{function="slow"}' in text
    finally:
        node.stop()
