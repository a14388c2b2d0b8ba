"""CoAP against a real `nanolambda up`: the `nanolambda invoke` and
`nanolambda functions` commands, and libcoap's `coap-client` with a 10 KB
block-wise payload, on a function deployed with boto3."""

import json
import shutil
import subprocess

from conftest import BIN

COAP_CLIENT = shutil.which("coap-client-notls") or shutil.which("coap-client")

ECHO = """
def handler(event, context):
    data = event.get("data", "")
    return {"len": len(data), "tail": data[-5:], "fn": context.function_name}
"""


def cli(*args, timeout=30):
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=timeout)


def test_invoke_and_functions_commands(node, create):
    name = create(files={"lambda_function.py": ECHO})
    coap = f"127.0.0.1:{node.coap_port}"

    r = cli("functions", "--coap", coap)
    assert r.returncode == 0, r.stderr
    assert name in r.stdout.split()

    r = cli("invoke", name, "--payload", '{"data": "hello"}', "--coap", coap)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"len": 5, "tail": "hello", "fn": name}

    r = cli("invoke", name, "--payload", '{"data": "abc"}', "--coap", coap, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["result"] == {"len": 3, "tail": "abc", "fn": name}
    assert doc["executed_on"]  # the node's name
    assert doc["latency_ms"] > 0

    # An unhandled exception: the Lambda error document, exit 1.
    r = cli("invoke", name, "--payload", '{"data": 5}', "--coap", coap)
    assert r.returncode == 1
    assert json.loads(r.stdout)["errorType"] == "TypeError"

    # Unknown function: 4.04 on stderr, exit 2.
    r = cli("invoke", "no-such-function", "--coap", coap)
    assert r.returncode == 2
    assert "4.04" in r.stderr

    # Not JSON: refused before anything is sent.
    r = cli("invoke", name, "--payload", "{nope", "--coap", coap)
    assert r.returncode != 0


def test_coap_client_blockwise_10k(node, create):
    assert COAP_CLIENT, "coap-client-notls (Debian libcoap3-bin) is not installed"
    name = create(files={"lambda_function.py": ECHO})
    payload = json.dumps({"data": "x" * 10_235 + "12345"})
    assert len(payload) > 10_000
    r = subprocess.run(
        [COAP_CLIENT, "-m", "post", "-t", "50", "-b", "1024", "-e", payload,
         f"coap://127.0.0.1:{node.coap_port}/fn/{name}"],
        capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"len": 10_240, "tail": "12345", "fn": name}
