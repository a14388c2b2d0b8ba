"""Placement and forwarding across real `nanolambda up` processes: a function
deployed on one node is invocable from every node (CoAP and HTTP), answers
name the executor (CoAP option 65000 / `X-Nanolambda-Executed-On`),
NANOLAMBDA_PLACEMENT node=NAME is honoured, a killed executor is never
routed to again, and duplicated datagrams never run an invocation twice."""

import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path
import urllib.request

import pytest

from conftest import BIN, Node, make_zip
from test_mesh_cluster import CONVERGE_S, DETECT_S, states, status, wait_for

CODE = """
def handler(event, context):
    return {"doubled": event.get("x", 0) * 2}
"""


def deploy(node, name, placement=None):
    kw = {}
    if placement:
        kw["Environment"] = {"Variables": {"NANOLAMBDA_PLACEMENT": placement}}
    node.client().create_function(
        FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::000000000000:role/x",
        Handler="lambda_function.handler", Code={"ZipFile": make_zip({"lambda_function.py": CODE})},
        **kw)


def coap_invoke(node, name, payload):
    out = subprocess.run([str(BIN), "invoke", name, "--payload", json.dumps(payload),
                          "--coap", f"127.0.0.1:{node.coap_port}", "--json"],
                         capture_output=True, text=True, timeout=30)
    return json.loads(out.stdout)


def invocations(node, function):
    text = urllib.request.urlopen(node.url + "/_nanolambda/metrics", timeout=5).read().decode()
    m = re.search(r'nanolambda_invocations_total\{function="%s"\} (\d+)' % re.escape(function), text)
    return int(m.group(1)) if m else 0


def serves_everywhere(nodes, function):
    def pred():
        for n in nodes:
            doc = status(n)
            if not any(function in m["functions"] for m in doc["members"] if m["state"] == "alive"):
                return f"{n.name} does not know who serves {function}"
        return True
    return pred


@pytest.fixture
def mesh3(tmp_path):
    # Outside pytest's tmp dirs: a concurrent pytest session may prune them.
    fault = Path(tempfile.mkdtemp(prefix="nl-faults-")) / "faults"
    old = os.environ.get("NANOLAMBDA_MESH_FAULTS_FILE")
    os.environ["NANOLAMBDA_MESH_FAULTS_FILE"] = str(fault)
    nodes = []
    try:
        for name in ["fa", "fb", "fc"]:
            args = ["--tier", "edge"]
            if nodes:
                args += ["--join", f"127.0.0.1:{nodes[0].coap_port}"]
            (tmp_path / name).mkdir()
            nodes.append(Node(tmp_path / name / "data", name=name, extra_args=args).start())
    finally:
        if old is None:
            os.environ.pop("NANOLAMBDA_MESH_FAULTS_FILE", None)
        else:
            os.environ["NANOLAMBDA_MESH_FAULTS_FILE"] = old

    def converged():
        for n in nodes:
            s = states(n)
            if any(s.get(x) != "alive" for x in ["fa", "fb", "fc"]):
                return s
        return True
    wait_for(converged, CONVERGE_S, "convergence")
    yield nodes, fault
    for n in nodes:
        n.stop()


def test_deployed_once_invocable_everywhere(mesh3):
    (a, b, c), _ = mesh3
    deploy(b, "dbl")
    wait_for(serves_everywhere([a, c], "dbl"), 10, "dbl announced")
    r = coap_invoke(a, "dbl", {"x": 21})
    assert r["code"] == "2.05" and r["result"] == {"doubled": 42}
    # fb has it; fa may also fetch the module and run it (placement decides,
    # docs/mesh.md "Functions travel").
    assert r["executed_on"] in ("fb", "fa")
    direct = coap_invoke(b, "dbl", {"x": 21})
    assert direct["result"] == r["result"] and direct["executed_on"] == "fb"
    # HTTP Invoke on C, same answer, executor named in a header.
    resp = c.client().invoke(FunctionName="dbl", Payload=json.dumps({"x": 4}))
    assert json.loads(resp["Payload"].read()) == {"doubled": 8}
    assert resp["ResponseMetadata"]["HTTPHeaders"]["x-nanolambda-executed-on"] in ("fb", "fc")
    # A local run names this node too.
    resp = b.client().invoke(FunctionName="dbl", Payload=b"{}")
    assert resp["ResponseMetadata"]["HTTPHeaders"]["x-nanolambda-executed-on"] == "fb"


def test_placement_node_pin_and_a_killed_executor(mesh3):
    (a, b, c), _ = mesh3
    deploy(a, "pinned", placement="node=fb")
    deploy(b, "pinned", placement="node=fb")
    wait_for(serves_everywhere([a], "pinned"), 10, "pinned announced")

    def runs_on_b():
        r = coap_invoke(a, "pinned", {"x": 1})
        return r.get("executed_on") == "fb" or r
    wait_for(runs_on_b, 10, "pinned placed on fb")
    for _ in range(3):
        assert coap_invoke(a, "pinned", {"x": 1})["executed_on"] == "fb"

    b.kill9()
    wait_for(lambda: states(a).get("fb") in ("dead", None) or states(a), DETECT_S, "fb dead at fa")
    # mode=prefer (the default): the function falls back to a live server.
    for _ in range(5):
        r = coap_invoke(a, "pinned", {"x": 3})
        assert r["code"] == "2.05", r
        assert r["executed_on"] == "fa", r


def test_duplicated_datagrams_never_run_twice(mesh3):
    (a, b, c), fault = mesh3
    # Pinned: the executor must be fb, whose runs are counted.
    deploy(b, "once", placement="node=fb,mode=pin")
    wait_for(serves_everywhere([a], "once"), 10, "once announced")
    before = invocations(b, "once")
    # Every mesh datagram of every node is sent twice from now on.
    fault.write_text("duplicate=1.0\n")
    time.sleep(1.2)  # the fault file is re-read every 500 ms
    assert fault.exists(), list(fault.parent.iterdir())
    n = 10
    for i in range(n):
        r = coap_invoke(a, "once", {"x": i})
        assert r["code"] == "2.05" and r["result"] == {"doubled": 2 * i}, r
        assert r["executed_on"] == "fb"
    time.sleep(0.5)
    fault.unlink(missing_ok=True)
    assert invocations(b, "once") - before == n


def test_modules_are_served_by_hash(mesh3):
    """`GET /mod/<hash>` serves a cached module, lz4 (Content-Format 65100),
    block-wise; an unknown hash is 4.04."""
    import asyncio
    from aiocoap import GET, Context, Message

    (a, b, c), _ = mesh3
    deploy(b, "modsrc")
    doc = status(b)
    hashes = next(m for m in doc["members"] if m["local"])["cached_modules"]

    def announced():
        me = next(m for m in status(b)["members"] if m["local"])
        return bool(me["cached_modules"]) or me
    wait_for(announced, 5, "module announced")
    h = next(m for m in status(b)["members"] if m["local"])["cached_modules"][0]
    assert len(h) == 64

    async def get(path):
        ctx = await Context.create_client_context()
        try:
            return await ctx.request(Message(code=GET, uri=f"coap://127.0.0.1:{b.coap_port}/{path}")).response
        finally:
            await ctx.shutdown()

    r = asyncio.run(get(f"mod/{h}"))
    assert r.code.is_successful(), r
    assert r.opt.content_format == 65100
    size = int.from_bytes(r.payload[:4], "little")
    assert 0 < size < 16 << 20 and len(r.payload) > 4
    missing = asyncio.run(get("mod/" + "0" * 64))
    assert str(missing.code).startswith("4.04"), missing.code
    del hashes
