"""End-to-end tests of the host sensor node (`nanolambda-sensor`), the same
sans-IO node the LM3S6965 board links, over real UDP on loopback. The
gateway here is a plain socket decoding CoAP with aiocoap, so these tests
check the sensor's own wire behaviour: it joins through the gateway with
non-confirmable `POST /gossip` (postcard, content-format 42), keeps sending
while idle (NAT keep-alive), and answers plain CoAP invocations. Two sensors
also form a mesh of their own (join, state gossip, failure detection).

The binary is NANOLAMBDA_SENSOR_BIN, or `nanolambda-sensor` next to
NANOLAMBDA_BIN (tests/e2e/run.sh), or the debug build in the cargo target
directory, built with cargo if missing."""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from aiocoap import CON, NON, Code, Message

ROOT = Path(__file__).resolve().parents[2]
_NODE_BIN = Path(os.environ.get("NANOLAMBDA_BIN", ROOT / "target" / "debug" / "nanolambda"))


def sensor_binary():
    """NANOLAMBDA_SENSOR_BIN, or `nanolambda-sensor` next to the node's
    binary, or the debug build in the cargo target directory (built there
    if it is missing)."""
    given = os.environ.get("NANOLAMBDA_SENSOR_BIN")
    if given:
        return Path(given)
    beside = _NODE_BIN.parent / "nanolambda-sensor"
    if beside.exists():
        return beside
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not target.is_absolute():
        target = ROOT / target
    out = subprocess.run(["cargo", "build", "-p", "nanolambda-firmware", "--bin",
                          "nanolambda-sensor"], cwd=ROOT, capture_output=True, text=True,
                         timeout=900, env=dict(os.environ, CARGO_TARGET_DIR=str(target)))
    assert out.returncode == 0, out.stderr
    return target / "debug" / "nanolambda-sensor"


SENSOR_BIN = sensor_binary()

POSTCARD = 42


class Sensor:
    """A `nanolambda-sensor` process and the gateway socket it joins."""

    def __init__(self, tmp_path, *extra, gateway=None, label="sensor"):
        self.gateway = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.gateway.bind(("127.0.0.1", 0))
        port = gateway[1] if gateway else self.gateway.getsockname()[1]
        self.log_path = tmp_path / f"{label}.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(SENSOR_BIN), "--gateway", f"127.0.0.1:{port}", "--bind", "127.0.0.1:0", *extra],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.addr = None
        deadline = time.time() + 10
        while time.time() < deadline and self.addr is None:
            m = re.search(r" on 127\.0\.0\.1:(\d+),", self.log_path.read_text(errors="replace"))
            if m:
                self.addr = ("127.0.0.1", int(m.group(1)))
            else:
                time.sleep(0.05)
        assert self.addr, self.log_path.read_text()
        self.id = re.search(r" node ([0-9a-f]{16}) on ", self.log_path.read_text()).group(1)

    def wait_log(self, pattern, timeout):
        """Wait for a log line matching `pattern`."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, self.log_path.read_text(errors="replace")):
                return
            time.sleep(0.1)
        raise AssertionError(f"no {pattern!r} in log:\n{self.log_path.read_text()}")

    def receive(self, timeout):
        """The next datagram to the gateway as (aiocoap Message, source)."""
        self.gateway.settimeout(timeout)
        data, src = self.gateway.recvfrom(2048)
        return Message.decode(data), src

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()
        self.gateway.close()


def request(code, path, mid, token, payload):
    """A confirmable request with a fixed message id and token."""
    m = Message(code=code, uri_path=path, payload=payload)
    m.mtype, m.mid, m.token = CON, mid, token
    return m


@pytest.fixture
def sensor(tmp_path):
    s = Sensor(tmp_path, "--name", "e2e-sensor", "--battery", "42", "--arena-kib", "16")
    yield s
    s.stop()


def test_joins_with_gossip_and_keeps_sending(sensor):
    msg, src = sensor.receive(timeout=5)
    assert src == sensor.addr, "gossip comes from the node's socket (what a NAT maps)"
    assert msg.mtype == NON
    assert msg.code == Code.POST
    assert list(msg.opt.uri_path) == ["gossip"]
    assert int(msg.opt.content_format) == POSTCARD
    assert len(msg.payload) > 8
    # The node's name travels in its state (postcard strings are raw UTF-8).
    # Nobody answers: the node retries its join, which also keeps a NAT
    # mapping open.
    msg2, _ = sensor.receive(timeout=12)
    assert list(msg2.opt.uri_path) == ["gossip"]


def test_answers_plain_coap_invocations_with_lambda_errors(sensor):
    sensor.receive(timeout=5)
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(5)
    try:
        req = request(Code.POST, ("fn", "nope"), 4711, b"\x01\x02", b"{}")
        client.sendto(req.encode(), sensor.addr)
        reply = Message.decode(client.recvfrom(2048)[0])
        assert reply.mid == 4711 and reply.token == b"\x01\x02"
        assert reply.code == Code.INTERNAL_SERVER_ERROR
        assert b"ResourceNotFoundException" in reply.payload
        # An unknown resource is 4.04, garbage is ignored, the node lives on.
        client.sendto(b"\xff\x00garbage", sensor.addr)
        req = request(Code.GET, ("nothing",), 4712, b"", b"")
        client.sendto(req.encode(), sensor.addr)
        reply = Message.decode(client.recvfrom(2048)[0])
        assert reply.code == Code.NOT_FOUND
        assert sensor.proc.poll() is None
    finally:
        client.close()


def test_rejects_bad_arguments(tmp_path):
    for args in (["--battery", "101", "--gateway", "127.0.0.1:1"], ["--name", "x"],
                 ["--gateway", "nowhere"], ["--gateway", "127.0.0.1:1", "--arena-kib", "0"]):
        out = subprocess.run([str(SENSOR_BIN), *args], capture_output=True, text=True, timeout=10)
        assert out.returncode == 2, (args, out.stderr)
        assert out.stderr.strip()


def test_two_sensors_form_a_mesh_and_detect_a_death(tmp_path):
    """Sensor B joins through sensor A (a sensor is a full SWIM member):
    both see each other join and exchange states; when B is killed, A
    declares it suspect and then dead (failure detection across processes)."""
    a = Sensor(tmp_path, "--name", "sensor-a", label="a")
    b = Sensor(tmp_path, "--name", "sensor-b", gateway=a.addr, label="b")
    try:
        a.wait_log(rf"mesh: member {b.id} joined", 10)
        b.wait_log(rf"mesh: member {a.id} joined", 10)
        a.wait_log(rf"mesh: member {b.id} state changed", 10)
        b.proc.kill()
        b.proc.wait()
        a.wait_log(rf"mesh: member {b.id} suspect", 10)
        a.wait_log(rf"mesh: member {b.id} dead", 20)
        assert a.proc.poll() is None
    finally:
        a.stop()
        b.stop()
