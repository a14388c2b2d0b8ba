"""A function deployed over the Lambda API is served by the same node's CoAP
endpoint (the node's FunctionService), with aiocoap-client when installed."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

_VENV_CLIENT = Path(sys.executable).parent / "aiocoap-client"
CLIENT = str(_VENV_CLIENT) if _VENV_CLIENT.exists() else shutil.which("aiocoap-client")


@pytest.mark.skipif(CLIENT is None, reason="aiocoap-client not installed")
def test_function_created_over_http_is_invoked_over_coap(node, create):
    name = create()
    base = f"coap://127.0.0.1:{node.coap_port}"
    r = subprocess.run([CLIENT, "-m", "POST", f"{base}/fn/{name}", "--payload",
                        '{"values": [4, 5]}'], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert '"sum": 9' in r.stdout
    r = subprocess.run([CLIENT, f"{base}/.well-known/core"], capture_output=True, text=True,
                       timeout=30)
    assert f"</fn/{name}>" in r.stdout
    r = subprocess.run([CLIENT, "-m", "POST", f"{base}/fn/no-such-fn", "--payload", "{}"],
                       capture_output=True, text=True, timeout=30)
    assert "4.04" in r.stdout + r.stderr
