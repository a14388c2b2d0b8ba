"""The LM3S6965 firmware under QEMU (`lm3s6965evb`, user-mode networking):
real CoAP clients talk to it through the forwarded port, and its state
reports arrive at a UDP socket standing in for the gateway.

Builds the image with node-firmware/boards/lm3s6965/run.sh --build-only (or
uses NANOLAMBDA_FIRMWARE_IMAGE). Skips only when qemu-system-arm is absent
(Debian: apt-get install -y qemu-system-arm; CI installs it)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiocoap import Code, Message, NON, CON
from conftest import BIN

ROOT = Path(__file__).resolve().parents[2]
BOARD = ROOT / "node-firmware" / "boards" / "lm3s6965"
QEMU = shutil.which("qemu-system-arm")
COAP_CLIENT = shutil.which("coap-client-notls") or shutil.which("coap-client")
AIOCOAP_CLIENT = shutil.which("aiocoap-client") or str(Path(sys.executable).parent / "aiocoap-client")

pytestmark = pytest.mark.skipif(
    QEMU is None, reason="qemu-system-arm is not installed (Debian: apt-get install -y qemu-system-arm)"
)

NAME = "qemu-sensor"
BATTERY = 77


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(mtype, code, path, mid, token):
    """A CoAP message with the header fields set by hand (as a raw client would)."""
    m = Message(code=code, uri_path=path)
    m.mtype, m.mid, m.token = mtype, mid, token
    return m


HANDLER = """
def handler(event, context):
    values = event["values"]
    if not values:
        raise ValueError("no values")
    return {"sum": sum(values), "n": len(values), "fn": context.function_name}
"""


def build_image(workdir):
    """The image to boot; with the VM (if it fits the flash) it embeds a
    module compiled from HANDLER, served as /fn/device."""
    given = os.environ.get("NANOLAMBDA_FIRMWARE_IMAGE")
    if given:
        return given
    env = dict(os.environ)
    if "CARGO_TARGET_DIR" in env and not os.path.isabs(env["CARGO_TARGET_DIR"]):
        env["CARGO_TARGET_DIR"] = str(ROOT / env["CARGO_TARGET_DIR"])
    if BIN.exists():
        source = workdir / "lambda_function.py"
        source.write_text(HANDLER)
        module = workdir / "device.nlbc"
        out = subprocess.run([str(BIN), "compile", str(source), "-o", str(module)],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        env["NANOLAMBDA_MODULE"] = str(module)
        env["NANOLAMBDA_FUNCTION"] = "device"
    out = subprocess.run([str(BOARD / "run.sh"), "--build-only"], env=env,
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr
    image = [l for l in out.stdout.splitlines() if l.startswith("image: ")]
    assert image, out.stdout
    return image[-1][len("image: "):]


class Board:
    """One QEMU process running the image."""

    def __init__(self, tmp_path):
        self.port = free_udp_port()
        self.gateway = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.gateway.bind(("127.0.0.1", 0))
        self.gateway_port = self.gateway.getsockname()[1]
        self.log_path = tmp_path / "qemu.log"
        self.proc = None

    def start(self, image, extra=()):
        args = ["nanolambda", "--gateway", f"10.0.2.2:{self.gateway_port}", "--name", NAME,
                "--period", "1", "--battery", str(BATTERY), *extra]
        semi = "enable=on,target=native," + ",".join(f"arg={a}" for a in args)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [QEMU, "-cpu", "cortex-m3", "-M", "lm3s6965evb", "-nographic",
             "-semihosting-config", semi,
             "-nic", f"user,hostfwd=udp:127.0.0.1:{self.port}-:5683",
             "-kernel", image],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            assert self.proc.poll() is None, self.read_log()
            log = self.read_log()
            if "dhcp: address" in log or "static address" in log or "; static " in log:
                return
            time.sleep(0.2)
        raise AssertionError("the firmware got no address in 30 s:\n" + self.read_log())

    def read_log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.gateway.close()

    def exchange(self, message, timeout=5.0):
        """Send one CoAP message to the node, return its reply (decoded)."""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(timeout)
            s.sendto(message.encode(), ("127.0.0.1", self.port))
            data, _ = s.recvfrom(2048)
            return Message.decode(data)

    def drain_reports(self):
        """Forget reports that queued up while other tests ran."""
        self.gateway.setblocking(False)
        try:
            while True:
                self.gateway.recvfrom(2048)
        except BlockingIOError:
            pass
        finally:
            self.gateway.setblocking(True)

    def next_report(self, timeout=10.0):
        self.gateway.settimeout(timeout)
        data, peer = self.gateway.recvfrom(2048)
        return Message.decode(data), peer


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    return build_image(tmp_path_factory.mktemp("firmware-build"))


@pytest.fixture(scope="module")
def board(image, tmp_path_factory):
    b = Board(tmp_path_factory.mktemp("firmware"))
    try:
        b.start(image)
        yield b
    finally:
        b.stop()
    assert "panic" not in b.read_log(), b.read_log()


def test_coap_client_gets_pong(board):
    assert COAP_CLIENT, "coap-client-notls (Debian libcoap3-bin) is not installed"
    out = subprocess.run([COAP_CLIENT, "-m", "get", "-B", "10", f"coap://127.0.0.1:{board.port}/ping"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "pong"


def test_aiocoap_client_gets_pong_and_discovers_resources(board):
    out = subprocess.run([AIOCOAP_CLIENT, f"coap://127.0.0.1:{board.port}/ping"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "pong"
    out = subprocess.run([AIOCOAP_CLIENT, f"coap://127.0.0.1:{board.port}/.well-known/core"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "/ping" in out.stdout and "/status" in out.stdout


def test_status_and_errors_over_raw_coap(board):
    reply = board.exchange(request(CON, Code.GET, ("status",), 4242, b"ab"))
    assert reply.code == Code.CONTENT
    assert reply.mid == 4242 and reply.token == b"ab"
    status = json.loads(reply.payload)
    assert status["node"] == NAME and status["tier"] == "sensor" and status["battery"] == BATTERY
    assert status["address"] == "10.0.2.15"

    reply = board.exchange(request(NON, Code.GET, ("nope",), 7, b"x"))
    assert reply.code == Code.NOT_FOUND
    reply = board.exchange(request(CON, Code.PUT, ("ping",), 8, b"y"))
    assert reply.code == Code.METHOD_NOT_ALLOWED
    # Not CoAP at all: no answer, and the node keeps serving.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(1.0)
        s.sendto(b"\xff\x00garbage", ("127.0.0.1", board.port))
        with pytest.raises(socket.timeout):
            s.recvfrom(2048)
    reply = board.exchange(request(CON, Code.GET, ("ping",), 9, b"z"))
    assert reply.payload == b"pong"


def test_state_reports_reach_the_gateway(board):
    board.drain_reports()
    first, peer = board.next_report()
    # The node sends from its CoAP port, which QEMU's NAT maps to the forwarded port.
    assert peer == ("127.0.0.1", board.port)
    assert first.code == Code.POST and first.mtype == NON
    assert first.opt.uri_path == ("heartbeat",)
    assert first.opt.content_format == 50
    report = json.loads(first.payload)
    assert report["node"] == NAME and report["tier"] == "sensor" and report["battery"] == BATTERY
    assert report["heap_free"] > 0
    received = time.monotonic()
    second, _ = board.next_report()
    wall_ms = (time.monotonic() - received) * 1000
    later = json.loads(second.payload)
    assert later["seq"] == report["seq"] + 1
    # The period is 1 s of the board's SysTick clock, and that clock keeps
    # the host's time (a wrong core-clock assumption would be off 4x or more).
    board_ms = later["uptime_ms"] - report["uptime_ms"]
    assert 1000 <= board_ms <= 3000
    assert board_ms / 2 <= wall_ms <= board_ms * 2


def test_many_requests_leave_no_trace(board):
    """A burst from several clients: every confirmable request is answered,
    the heap returns to where it was, nothing panics (checked at teardown)."""
    def status():
        # The node keeps its last confirmable reply (for retransmissions):
        # make it the same ping reply before each reading.
        board.exchange(request(CON, Code.GET, ("ping",), 2, b"q"))
        reply = board.exchange(request(NON, Code.GET, ("status",), 1, b"s"))
        return json.loads(reply.payload)

    before = status()
    clients = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(4)]
    answered = 0
    try:
        for c in clients:
            c.settimeout(5.0)
        for round_ in range(50):
            for i, c in enumerate(clients):
                path = [("ping",), ("status",), (".well-known", "core"), ("nope",)][i]
                c.sendto(request(CON, Code.GET, path, (round_ * 4 + i) & 0xFFFF, b"t%d" % i).encode(),
                         ("127.0.0.1", board.port))
            for c in clients:
                data, _ = c.recvfrom(2048)
                reply = Message.decode(data)
                assert reply.code in (Code.CONTENT, Code.NOT_FOUND)
                answered += 1
    finally:
        for c in clients:
            c.close()
    assert answered == 200
    after = status()
    assert after["heap_free"] == before["heap_free"]
    # Static statics plus the deepest stack stay inside the chip's 64 KiB.
    assert 0 < after["stack_peak"] < 16 * 1024


def test_static_address_without_dhcp(image, tmp_path):
    b = Board(tmp_path)
    try:
        b.start(image, extra=("--ip", "10.0.2.15/24", "--router", "10.0.2.2", "--report-path", "/nodes/state"))
        assert "dhcp:" not in b.read_log()
        reply = b.exchange(request(CON, Code.GET, ("ping",), 5, b"p"))
        assert reply.payload == b"pong"
        report, _ = b.next_report()
        assert report.opt.uri_path == ("nodes", "state")
        assert json.loads(report.payload)["address"] == "10.0.2.15"
    finally:
        b.stop()
    assert "panic" not in b.read_log(), b.read_log()


def test_function_runs_on_the_device(board):
    """POST /fn/device runs the embedded module in the VM on the board."""
    log = board.read_log()
    if "VM arena 0 B" in log:
        pytest.skip("the image has no VM: the VM and the network do not fit 256 KiB of flash together yet "
                    "(see docs/firmware.md)")
    if "0 function(s)" in log and (os.environ.get("NANOLAMBDA_FIRMWARE_IMAGE") or not BIN.exists()):
        pytest.skip("no module embedded (a given NANOLAMBDA_FIRMWARE_IMAGE, or no nanolambda binary to compile one)")
    assert "module rejected" not in log, log
    assert "1 function(s)" in log, log
    ok = request(CON, Code.POST, ("fn", "device"), 100, b"f1")
    ok.payload = json.dumps({"values": [1, 2, 3.5]}).encode()
    ok.opt.content_format = 50
    reply = board.exchange(ok, timeout=30.0)
    assert reply.code == Code.CONTENT, reply.payload
    assert json.loads(reply.payload) == {"sum": 6.5, "n": 3, "fn": "device"}
    bad = request(CON, Code.POST, ("fn", "device"), 101, b"f2")
    bad.payload = b'{"values": []}'
    reply = board.exchange(bad, timeout=30.0)
    assert reply.code == Code.INTERNAL_SERVER_ERROR
    error = json.loads(reply.payload)
    assert error["errorType"] == "ValueError" and error["errorMessage"] == "no values"
    assert "invoked device: fuel" in board.read_log()
