"""Placement decided by cost, across real `nanolambda up` processes on
loopback (docs/scheduler.md): three edge nodes, one on mains (pa), one on a
battery below the 20 % floor (pb), one on a full battery (pc).

* A heavy function deployed on pa and pc runs on pa whichever node receives
  the invocation: on pc, running locally would spend battery energy worth
  more than the round trip to pa; pb does not hold the function and pa is
  the cheaper holder.
* A preference for pb (`NANOLAMBDA_PLACEMENT=node=pb`) is not honoured while
  pb is below its floor (it accepts no foreign work), while a preference for
  pc is.
* pb's own invocations of a function it holds do leave it when a mains node
  can run them (its battery weight is highest).
"""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import Node, make_zip
from test_mesh_cluster import CONVERGE_S, status, wait_for

# About 1.6 M VM instructions: tens of ms at the calibrated speed, far more
# than a loopback round trip.
HEAVY = """
def handler(event, context):
    total = 0
    for i in range(200000):
        total += i % 7
    return {"total": total}
"""


def deploy(node, name, code=HEAVY, placement=None):
    env = {"NANOLAMBDA_PLACEMENT": placement} if placement else {}
    node.client().create_function(
        FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::000000000000:role/x",
        Handler="lambda_function.handler", Code={"ZipFile": make_zip({"lambda_function.py": code})},
        Environment={"Variables": env}, Timeout=60)


def executed_on(node, name):
    r = node.client().invoke(FunctionName=name, Payload=b"{}")
    body = r["Payload"].read()
    assert r["StatusCode"] == 200 and "FunctionError" not in r, body[:500]
    assert json.loads(body) == {"total": sum(i % 7 for i in range(200000))}
    return r["ResponseMetadata"]["HTTPHeaders"]["x-nanolambda-executed-on"]


def row(doc, name):
    return next((m for m in doc["members"] if m["name"] == name), None)


@pytest.fixture
def powered(tmp_path):
    nodes = []
    for name, power in [("pa", "mains"), ("pb", "battery:10"), ("pc", "battery:90")]:
        args = ["--tier", "edge", "--power", power]
        if nodes:
            args += ["--join", f"127.0.0.1:{nodes[0].coap_port}"]
        (tmp_path / name).mkdir()
        nodes.append(Node(tmp_path / name / "data", name=name, extra_args=args).start())

    def converged():
        for n in nodes:
            doc = status(n)
            for name, battery in [("pa", None), ("pb", 10), ("pc", 90)]:
                m = row(doc, name)
                if not m or m["state"] != "alive" or m["battery_percent"] != battery:
                    return doc
        return True
    wait_for(converged, CONVERGE_S, "convergence with power states")
    yield nodes
    for n in nodes:
        n.stop()


def knows(nodes, function, holders):
    def pred():
        for n in nodes:
            doc = status(n)
            have = sorted(m["name"] for m in doc["members"]
                          if m["state"] == "alive" and function in m["functions"])
            if have != sorted(holders):
                return f"{n.name} sees {function} on {have}"
            if not any(f["function"] == function for f in doc.get("functions", [])):
                return f"{n.name} has no announcement of {function}"
        return True
    return pred


def test_heavy_work_goes_to_mains_and_low_batteries_take_no_foreign_work(powered):
    pa, pb, pc = powered
    deploy(pa, "heavy")
    deploy(pc, "heavy")
    wait_for(knows(powered, "heavy", ["pa", "pc"]), 15, "heavy held by pa and pc")
    for entry in (pa, pb, pc):
        for _ in range(3):
            assert executed_on(entry, "heavy") == "pa", f"invoked on {entry.name}"

    # A preference cannot override pb's battery floor; pc's full battery can
    # take the work it is asked to prefer.
    deploy(pa, "to-pb", placement="node=pb")
    deploy(pa, "to-pc", placement="node=pc")
    wait_for(knows(powered, "to-pb", ["pa"]), 15, "to-pb known")
    wait_for(knows(powered, "to-pc", ["pa"]), 15, "to-pc known")
    for entry in (pa, pc):
        assert executed_on(entry, "to-pb") != "pb"
    assert executed_on(pa, "to-pc") == "pc"

    # pb's own function: its battery makes a mains node the better executor.
    deploy(pb, "own")
    wait_for(knows(powered, "own", ["pb"]), 15, "own known")
    assert executed_on(pb, "own") == "pa"
    # Pinned to pb alone, foreign work has no candidate: a clear error.
    deploy(pa, "pin-pb", placement="node=pb,mode=pin")
    wait_for(knows(powered, "pin-pb", ["pa"]), 15, "pin-pb known")
    with pytest.raises(ClientError) as e:
        pa.client().invoke(FunctionName="pin-pb", Payload=b"{}")
    assert "battery" in e.value.response["Error"]["Message"], e.value.response["Error"]
