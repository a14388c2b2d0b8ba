"""Fixtures for the end-to-end tests: a real `nanolambda up` process on free
loopback ports with a temporary data directory, and boto3 clients for it."""

import io
import re
import os
import signal
import socket
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("NANOLAMBDA_BIN", ROOT / "target" / "debug" / "nanolambda"))

os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_zip(files):
    """A zip of {name: text or bytes}."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


class Node:
    """One `nanolambda up` process."""

    def __init__(self, data_dir, http_port=None, coap_port=None, name=None, extra_args=()):
        self.data_dir = Path(data_dir)
        self.http_port = http_port or free_port()
        self.coap_port = coap_port or free_port(socket.SOCK_DGRAM)
        self.name = name
        self.extra_args = list(extra_args)
        self.proc = None
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}-node.log"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, timeout=20):
        args = [str(BIN), "up", "--http", f"127.0.0.1:{self.http_port}",
                "--coap", f"127.0.0.1:{self.coap_port}", "--data", str(self.data_dir)]
        if self.name:
            args += ["--name", self.name]
        args += self.extra_args
        self.log = open(self.log_path, "ab")
        env = dict(os.environ, RUST_LOG=os.environ.get("RUST_LOG", "info"))
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"node exited early: {self.log_path.read_text()}")
            if "ready" in self.log_path.read_text(errors="replace"):
                try:
                    urllib.request.urlopen(self.url + "/_nanolambda/health", timeout=1).read()
                    return self
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError(f"node not ready: {self.log_path.read_text()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()

    def client(self, **config):
        cfg = Config(retries={"max_attempts": 1, "mode": "standard"},
                     read_timeout=60, connect_timeout=5, **config)
        return boto3.client("lambda", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test",
                            config=cfg)


@pytest.fixture(scope="session")
def node(tmp_path_factory):
    if not BIN.exists():
        pytest.fail(f"{BIN} not found: run `cargo build --bin nanolambda` or set NANOLAMBDA_BIN")
    # Retries of failed Event invocations after 1 and 2 s instead of
    # Lambda's 1 and 2 minutes, so that the tests can watch them.
    n = Node(tmp_path_factory.mktemp("node") / "data",
             extra_args=["--event-retry-delay", "1"]).start()
    yield n
    n.stop()


@pytest.fixture(scope="session")
def lam(node):
    return node.client()


HANDLER = """
import json
import os

def handler(event, context):
    print("got", json.dumps(event))
    if event.get("fail"):
        raise ValueError("asked to fail")
    if event.get("spin"):
        while True:
            pass
    return {"sum": sum(event.get("values", [])), "greeting": os.environ.get("GREETING", "none"),
            "version": context.function_version, "memory": context.memory_limit_in_mb}
"""


@pytest.fixture
def create(lam, request):
    """Create a function (deleted after the test); returns its name."""
    made = []

    def _create(name=None, files=None, handler="lambda_function.handler", **kw):
        name = name or f"{re.sub(r'[^A-Za-z0-9_-]', '_', request.node.name)[:50]}-{len(made)}"
        zip_bytes = make_zip(files or {"lambda_function.py": HANDLER})
        lam.create_function(FunctionName=name, Runtime="python3.12",
                            Role="arn:aws:iam::000000000000:role/lambda",
                            Handler=handler, Code={"ZipFile": zip_bytes}, **kw)
        made.append(name)
        return name

    yield _create
    for name in made:
        try:
            lam.delete_function(FunctionName=name)
        except lam.exceptions.ResourceNotFoundException:
            pass
