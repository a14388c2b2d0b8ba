"""The mesh driver with real processes on loopback: nodes join through any
member's CoAP address (`nanolambda up --join`), converge (every `nanolambda
status` shows every node alive), detect a node killed with SIGKILL, and heal
a partition injected through NANOLAMBDA_MESH_FAULTS_FILE."""

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import BIN, Node

# Membership defaults (docs/mesh.md): probe 500 ms, suspicion 1.5 s
# confirmed to 0.5 s. A dead node is declared within a few seconds; the
# limits below leave room for a loaded test machine.
CONVERGE_S = 20
DETECT_S = 15
HEAL_S = 40


def status(node):
    out = subprocess.run([str(BIN), "status", "--coap", f"127.0.0.1:{node.coap_port}", "--json"],
                         capture_output=True, text=True, timeout=20)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def states(node):
    """{name: state} of every member with a known name, self included."""
    return {m["name"]: m["state"] for m in status(node)["members"] if m["name"]}


def wait_for(pred, limit, what):
    t0 = time.time()
    last = None
    while time.time() - t0 < limit:
        try:
            last = pred()
            if last is True:
                return time.time() - t0
        except (AssertionError, json.JSONDecodeError, subprocess.TimeoutExpired) as e:
            last = e
        time.sleep(0.2)
    pytest.fail(f"{what} not reached within {limit}s: {last}")


@pytest.fixture
def cluster(tmp_path):
    nodes = []

    def start(n, extra=None):
        for i in range(n):
            name = f"m{i}"
            args = ["--tier", "edge"]
            if nodes:
                args += ["--join", f"127.0.0.1:{nodes[0].coap_port}"]
            node = Node(tmp_path / name / "data", name=name, extra_args=args + (extra or []))
            (tmp_path / name).mkdir(parents=True, exist_ok=True)
            nodes.append(node.start())
        return nodes

    yield start
    for n in nodes:
        n.stop()


def all_alive(nodes, names):
    def pred():
        for n in nodes:
            s = states(n)
            if any(s.get(name) != "alive" for name in names):
                return s
        return True
    return pred


def test_nodes_join_and_converge_then_detect_a_killed_node(cluster):
    nodes = cluster(4)
    names = [f"m{i}" for i in range(4)]
    took = wait_for(all_alive(nodes, names), CONVERGE_S, "convergence")
    print(f"4 nodes converged in {took:.2f}s")
    doc = status(nodes[1])
    me = doc["members"][0]
    assert me["local"] and me["name"] == "m1" and me["tier"] == "edge"
    assert me["power"] == "mains"

    def rtt_measured():
        peer = next(m for m in status(nodes[1])["members"] if m["name"] == "m2")
        return peer["rtt_ms"] is not None or peer
    wait_for(rtt_measured, 10, "an RTT sample of m2 at m1")

    victim = nodes.pop(2)
    victim.kill9()
    t0 = time.time()

    def dead_everywhere():
        for n in nodes:
            s = states(n).get("m2")
            if s not in ("dead", None):
                return f"{n.name} sees m2 {s}"
        return True
    wait_for(dead_everywhere, DETECT_S, "death of m2")
    print(f"m2 declared dead everywhere within {time.time() - t0:.2f}s")
    # The survivors stay alive for each other.
    wait_for(all_alive(nodes, ["m0", "m1", "m3"]), 5, "survivors alive")


@pytest.fixture
def faulty_cluster(tmp_path):
    nodes = []
    files = {}
    old = os.environ.get("NANOLAMBDA_MESH_FAULTS_FILE")
    for i in range(3):
        name = f"p{i}"
        files[name] = Path(tempfile.mkdtemp(prefix="nl-faults-")) / f"{name}.faults"
        os.environ["NANOLAMBDA_MESH_FAULTS_FILE"] = str(files[name])
        args = ["--tier", "edge"]
        if nodes:
            args += ["--join", f"127.0.0.1:{nodes[0].coap_port}"]
        (tmp_path / name).mkdir()
        nodes.append(Node(tmp_path / name / "data", name=name, extra_args=args).start())
    if old is None:
        os.environ.pop("NANOLAMBDA_MESH_FAULTS_FILE", None)
    else:
        os.environ["NANOLAMBDA_MESH_FAULTS_FILE"] = old
    yield nodes, files
    for n in nodes:
        n.stop()


def test_partition_and_heal(faulty_cluster):
    nodes, files = faulty_cluster
    names = ["p0", "p1", "p2"]
    wait_for(all_alive(nodes, names), CONVERGE_S, "convergence")
    # Cut p2 off from both others (both directions, at p2).
    files["p2"].write_text("partition=p0\npartition=p1\n")

    def p2_cut_off():
        s0, s1 = states(nodes[0]), states(nodes[1])
        if s0.get("p2") in ("dead", "suspect") and s1.get("p2") in ("dead", "suspect"):
            return True
        return (s0, s1)
    wait_for(p2_cut_off, DETECT_S, "p2 suspected or dead behind the partition")
    files["p2"].unlink()
    took = wait_for(all_alive(nodes, names), HEAL_S, "healing")
    print(f"partition healed in {took:.2f}s")


def test_duplicated_and_lossy_gossip_still_converges(tmp_path):
    """Every datagram duplicated, 10% dropped: membership still converges."""
    # Outside pytest's tmp dirs: a concurrent pytest session may prune them.
    fault = Path(tempfile.mkdtemp(prefix="nl-faults-")) / "faults"
    fault.write_text("duplicate=1.0\ndrop=0.1\n")
    old = os.environ.get("NANOLAMBDA_MESH_FAULTS_FILE")
    os.environ["NANOLAMBDA_MESH_FAULTS_FILE"] = str(fault)
    nodes = []
    try:
        for i in range(3):
            args = ["--tier", "edge"]
            if nodes:
                args += ["--join", f"127.0.0.1:{nodes[0].coap_port}"]
            (tmp_path / f"d{i}").mkdir()
            nodes.append(Node(tmp_path / f"d{i}" / "data", name=f"d{i}", extra_args=args).start())
        wait_for(all_alive(nodes, ["d0", "d1", "d2"]), CONVERGE_S, "convergence under faults")
    finally:
        if old is None:
            os.environ.pop("NANOLAMBDA_MESH_FAULTS_FILE", None)
        else:
            os.environ["NANOLAMBDA_MESH_FAULTS_FILE"] = old
        for n in nodes:
            n.stop()


def test_demo_runs_a_local_mesh():
    out = subprocess.run([str(BIN), "demo", "--nodes", "4"], capture_output=True, text=True,
                         timeout=60, env=dict(os.environ, RUST_LOG="warn"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("ran on") >= 4, out.stdout
    assert "matches preference" in out.stdout
    assert '{"n": 4, "mean": 5.0}' in out.stdout
