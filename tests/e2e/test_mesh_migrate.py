"""Functions and invocations moving peer to peer between real `nanolambda up`
processes on loopback (boto3 against each node's Lambda API):

* a function deployed on one node only is invocable on every node, also
  pinned (NANOLAMBDA_PLACEMENT) to a node that never had it: that executor
  fetches the module by hash from the deploying node, verifies and caches it,
  and runs it with the announced configuration (handler, environment);
* LogType=Tail on a routed invoke returns the executor's log tail;
* events and results larger than one datagram (200 KB, 1 MB) travel between
  nodes by reference;
* a restarted node keeps its mesh id, and every view shows it alive again.
"""

import base64
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from conftest import BIN, Node, make_zip
from test_mesh_cluster import CONVERGE_S, DETECT_S, states, status, wait_for

CODE = """
import os

def handler(event, context):
    print("hello from", os.environ.get("GREETING", "?"))
    data = event.get("data", "")
    return {"n": len(data), "echo": data if event.get("echo") else "",
            "greeting": os.environ.get("GREETING", ""), "fn": context.function_name}
"""


def deploy(node, name, placement=None, handler="app.main", tag=""):
    env = {"GREETING": "bonjour"}
    if placement:
        env["NANOLAMBDA_PLACEMENT"] = placement
    module = handler.split(".")[0]
    node.client().create_function(
        FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::000000000000:role/x",
        Handler=handler, Code={"ZipFile": make_zip({f"{module}.py": CODE.replace("def handler", "def main") + tag})},
        Environment={"Variables": env}, Timeout=30)


def invoke(node, name, event, tail=False):
    kw = {"LogType": "Tail"} if tail else {}
    r = node.client().invoke(FunctionName=name, Payload=json.dumps(event).encode(), **kw)
    body = r["Payload"].read()
    headers = r["ResponseMetadata"]["HTTPHeaders"]
    assert r["StatusCode"] == 200, (r, body[:500])
    assert "FunctionError" not in r, body[:2000]
    return json.loads(body), headers, r


def member(doc, name):
    return next(m for m in doc["members"] if m["name"] == name)


def known_everywhere(nodes, function):
    def pred():
        for n in nodes:
            doc = status(n)
            if not any(function in m["functions"] for m in doc["members"] if m["state"] == "alive"):
                return f"{n.name} does not know {function}"
            # ... and holds its announcement (configuration and module hash).
            if not any(f["function"] == function for f in doc.get("functions", [])):
                return f"{n.name} has no announcement of {function}"
        return True
    return pred


@pytest.fixture
def mesh3(tmp_path):
    nodes = []
    for name in ["ma", "mb", "mc"]:
        args = ["--tier", "edge"]
        if nodes:
            args += ["--join", f"127.0.0.1:{nodes[0].coap_port}"]
        (tmp_path / name).mkdir()
        nodes.append(Node(tmp_path / name / "data", name=name, extra_args=args).start())

    def converged():
        for n in nodes:
            s = states(n)
            if any(s.get(x) != "alive" for x in ["ma", "mb", "mc"]):
                return s
        return True
    wait_for(converged, CONVERGE_S, "convergence")
    yield nodes
    for n in nodes:
        n.stop()


def test_deployed_on_one_node_runs_from_every_node_and_pinned_elsewhere(mesh3):
    a, b, c = mesh3
    deploy(a, "mig")
    wait_for(known_everywhere([b, c], "mig"), 10, "mig known")
    for node in (b, c):
        result, headers, _ = invoke(node, "mig", {"data": "abc"})
        assert result == {"n": 3, "echo": "", "greeting": "bonjour", "fn": "mig"}
        # Placement decides: the deploying node, or this one after fetching
        # the module (cheaper when its calibrated CPU is faster).
        assert headers["x-nanolambda-executed-on"] in ("ma", node.name)

    # Pinned to mc, which never had it: mc fetches the module from ma. The
    # code differs from "mig" (which mc may have fetched above) so that its
    # module hash is new.
    deploy(a, "pin", placement="node=mc,mode=pin", tag='\nVARIANT = "pinned"\n')
    wait_for(known_everywhere([b, c], "pin"), 10, "pin known")
    module = next(f["module"] for f in status(a)["functions"] if f["function"] == "pin")
    mig = next(f["module"] for f in status(a)["functions"] if f["function"] == "mig")
    assert module != mig
    assert module not in member(status(c), "mc")["cached_modules"]

    def runs_on_c():
        try:
            result, headers, _ = invoke(b, "pin", {"data": "xy"})
        except AssertionError as e:
            return str(e)
        return (headers["x-nanolambda-executed-on"] == "mc"
                and result == {"n": 2, "echo": "", "greeting": "bonjour", "fn": "pin"}) or headers
    wait_for(runs_on_c, 10, "pin runs on mc (announcement reached mb and mc)")
    # From the deploying node too, and with the executor's log tail.
    result, headers, r = invoke(a, "pin", {"data": "x"}, tail=True)
    assert headers["x-nanolambda-executed-on"] == "mc"
    log = base64.b64decode(r["LogResult"]).decode()
    assert "START RequestId:" in log and "REPORT RequestId:" in log, log
    assert "hello from bonjour" in log, log
    # mc now holds the module (gossiped as cached) and serves it on.
    me = member(status(c), "mc")
    assert "pin" not in me["functions"]
    wait_for(lambda: module in member(status(c), "mc")["cached_modules"] or status(c),
             5, "fetched module listed as cached on mc")


def test_status_lists_the_mesh_catalog_with_measured_cost(mesh3):
    a, b, c = mesh3
    deploy(a, "solo", placement="node=ma,mode=pin")
    wait_for(known_everywhere([b, c], "solo"), 10, "solo known")

    def row(node):
        return next((f for f in status(node).get("functions", []) if f["function"] == "solo"), None)
    mine, theirs = row(a), row(b)
    assert mine["local"] and mine["holders"] == ["ma"] and mine["handler"] == "app.main"
    assert not theirs["local"] and theirs["holders"] == ["ma"]
    assert theirs["module"] == mine["module"] and len(mine["module"]) == 64
    assert theirs["fuel_per_run"] == 0, "not run yet"
    for _ in range(3):
        result, headers, _ = invoke(a, "solo", {"data": "abcd"})
        assert headers["x-nanolambda-executed-on"] == "ma" and result["n"] == 4
    # The measured cost reaches the other nodes with the next announcement.
    wait_for(lambda: (row(b) or {}).get("fuel_per_run", 0) > 0 or row(b), 5,
             "measured instructions per run announced to mb")
    table = subprocess.run([str(BIN), "status", "--coap", f"127.0.0.1:{c.coap_port}"],
                           capture_output=True, text=True, timeout=20)
    assert table.returncode == 0, table.stderr
    assert "FUEL/RUN" in table.stdout and "solo" in table.stdout, table.stdout


def test_local_invoke_with_log_tail_still_works(mesh3):
    a, _, _ = mesh3
    deploy(a, "loc")
    result, headers, r = invoke(a, "loc", {"data": "q"}, tail=True)
    assert headers["x-nanolambda-executed-on"] == "ma"
    assert "hello from bonjour" in base64.b64decode(r["LogResult"]).decode()


@pytest.mark.parametrize("size", [200_000, 1_000_000])
def test_large_events_and_results_travel_between_nodes(mesh3, size):
    a, b, c = mesh3
    deploy(a, "big")
    wait_for(known_everywhere([c], "big"), 10, "big known")
    data = "z" * size
    result, headers, _ = invoke(c, "big", {"data": data, "echo": True})
    assert headers["x-nanolambda-executed-on"] in ("ma", "mc")
    assert result["n"] == size and result["echo"] == data
    # Pinned to a node that lacks the function, from a third node.
    deploy(a, "bigpin", placement="node=mb,mode=pin")
    wait_for(known_everywhere([c], "bigpin"), 10, "bigpin known")
    result, headers, _ = invoke(c, "bigpin", {"data": data, "echo": True})
    assert headers["x-nanolambda-executed-on"] == "mb"
    assert result["n"] == size and result["echo"] == data


def test_restarted_node_keeps_its_id(mesh3):
    a, b, c = mesh3
    before = member(status(b), "mb")["id"]
    assert member(status(a), "mb")["id"] == before
    b.kill9()
    wait_for(lambda: states(a).get("mb") == "dead" or states(a), DETECT_S, "mb dead at ma")
    b.start()
    assert member(status(b), "mb")["id"] == before

    def alive_again():
        for n in (a, c):
            doc = status(n)
            rows = [m for m in doc["members"] if m["name"] == "mb"]
            if len(rows) != 1 or rows[0]["state"] != "alive" or rows[0]["id"] != before:
                return rows
        return True
    wait_for(alive_again, CONVERGE_S, "mb alive again under the same id")
    # And it still runs what is pinned to it.
    deploy(a, "afterrestart", placement="node=mb,mode=pin")
    wait_for(known_everywhere([c], "afterrestart"), 10, "afterrestart known")

    def runs_on_b():
        # Until mb's state (gossiped after its rejoin) reaches mc, mc knows
        # no candidate for a function pinned to mb.
        try:
            _, headers, _ = invoke(c, "afterrestart", {"data": "1"})
        except (AssertionError, ClientError) as e:
            return str(e)
        return headers["x-nanolambda-executed-on"] == "mb" or headers
    wait_for(runs_on_b, 10, "afterrestart runs on mb")


def test_a_burst_on_a_cold_executor_fetches_the_module_once(mesh3):
    a, b, c = mesh3
    deploy(a, "burst", placement="node=mc,mode=pin")
    wait_for(known_everywhere([b, c], "burst"), 10, "burst known")
    # The announcement must have reached mb (the placing node) and mc.
    def announced(node):
        return any("function announced" in line and "burst" in line
                   for line in node.log_path.read_text(errors="replace").splitlines())
    wait_for(lambda: (announced(b) and announced(c)) or "waiting", 10, "burst announced to mb and mc")

    def one(i):
        result, headers, _ = invoke(b, "burst", {"data": "x" * i})
        return result["n"], headers["x-nanolambda-executed-on"]
    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(one, range(6)))
    assert got == [(i, "mc") for i in range(6)], got
    fetched = [line for line in c.log_path.read_text(errors="replace").splitlines()
               if "fetched a module" in line and "burst" in line]
    assert len(fetched) == 1, fetched
