"""End-to-end: the host sensor node (`nanolambda-sensor`) joins a real
`nanolambda up` through its CoAP port. The capable node takes the sensor's
gossip: `nanolambda status` lists it as an alive sensor-tier member with its
battery and arena, reached at the address its datagrams come from; killed,
it is declared suspect or dead.

Binaries: NANOLAMBDA_BIN (conftest) and the sensor binary as
test_sensor_host.py finds or builds it.

Not tested yet because the capable node does not do it: an invocation
pinned to the sensor (`NANOLAMBDA_PLACEMENT=node=<sensor>,mode=pin`) is
refused with "no alive node of the mesh serves <function>", since the
capable node only forwards to members that gossip the function, and a
sensor learns functions only from module announcements, which the capable
node does not send (docs/firmware.md, "The sensor node")."""

import json
import subprocess
import time

import pytest

from conftest import BIN, Node
from test_sensor_host import SENSOR_BIN


def status(node):
    out = subprocess.run([str(BIN), "status", "--coap", f"127.0.0.1:{node.coap_port}", "--json"],
                         capture_output=True, text=True, timeout=20)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def member(node, name):
    for m in status(node)["members"]:
        if m["name"] == name:
            return m
    return None


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; last: {last}")


@pytest.fixture
def mesh_node(tmp_path):
    n = Node(tmp_path / "data", name="gw").start()
    yield n
    n.stop()


def test_sensor_joins_and_is_seen_alive_then_dead(mesh_node, tmp_path):
    log = open(tmp_path / "sensor.log", "wb")
    proc = subprocess.Popen(
        [str(SENSOR_BIN), "--gateway", f"127.0.0.1:{mesh_node.coap_port}", "--name", "e2e-sensor",
         "--battery", "42", "--arena-kib", "16", "--bind", "127.0.0.1:0"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        m = wait_for(lambda: (lambda r: r if r and r["state"] == "alive" and r["tier"] else None)(
            member(mesh_node, "e2e-sensor")), 20, "the sensor to be alive in status")
        assert m["tier"] == "sensor"
        assert m["power"] == "battery"
        assert m["battery_percent"] == 42
        assert m["free_vm_bytes"] == 16 * 1024
        assert m["addr"].startswith("127.0.0.1:")
        # It stays alive (its probes and gossip keep flowing).
        time.sleep(3)
        assert member(mesh_node, "e2e-sensor")["state"] == "alive"
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.wait()
        log.close()
    wait_for(lambda: (member(mesh_node, "e2e-sensor") or {"state": "dead"})["state"] in ("suspect", "dead"),
             20, "the killed sensor to be suspect or dead")
