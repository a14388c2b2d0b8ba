#!/usr/bin/env python3
"""Capture the exact HTTP/1.1 bytes of one AWS Lambda ``Invoke`` as boto3 sends it.

Used by ``protocol/tests/wire_sizes.rs`` (through the fixtures it writes) to compare the
size of one invocation in nanolambda's CoAP protocol with the same invocation over the
Lambda HTTP API.

Offline: no request leaves the process. A ``before-send`` hook receives botocore's fully
signed ``AWSPreparedRequest`` (endpoint http://127.0.0.1:8080, credentials test/test,
region us-east-1) and answers it with a canned response, so the client completes the call
normally. The request is serialized the way urllib3/http.client put it on the wire:

    request line, then ``Host`` and ``Accept-Encoding: identity`` (added by
    ``http.client.HTTPConnection.putrequest`` because botocore sets neither), then
    botocore's headers in order, a blank line and the body.

``--verify`` checks that reconstruction against reality: it sends the same call to a
one-shot TCP server on 127.0.0.1:8080 (loopback only), captures the bytes received and
compares them header-by-header (values that change per call, such as X-Amz-Date,
Authorization and amz-sdk-invocation-id, are compared by length only).

The response models what AWS Lambda returns for a synchronous invoke (the header set
documented in the Lambda API reference for Invoke and seen from the service: Date,
Content-Type, Content-Length, Connection, x-amzn-RequestId, X-Amz-Executed-Version,
x-amzn-Remapped-Content-Length, X-Amzn-Trace-Id), with the function's result ``2.0`` as
the body.

Usage: python3 tools/capture_boto3_invoke.py [--out-dir tests/fixtures] [--verify]
Needs boto3 (``pip install boto3``).
"""

import argparse
import email.utils
import io
import json
import os
import socket
import sys
import threading
import uuid

import boto3
import botocore
from botocore.awsrequest import AWSResponse

ENDPOINT_HOST = "127.0.0.1"
ENDPOINT_PORT = 8080
ENDPOINT = f"http://{ENDPOINT_HOST}:{ENDPOINT_PORT}"
FUNCTION = "avg"
EVENT = b'{"values":[1,2,3]}'
RESULT = b"2.0"
VOLATILE = {"x-amz-date", "authorization", "amz-sdk-invocation-id"}


class _Raw(io.BytesIO):
    """Raw body for AWSResponse: botocore reads it with ``stream()`` or, for
    streaming outputs such as Invoke's Payload, with ``read()``."""

    def stream(self, **_kwargs):
        yield self.read()


def lambda_response_headers(body):
    """The headers AWS Lambda returns for a synchronous Invoke, in its order."""
    trace_root = "1-%08x-%s" % (0x6746D0A0, uuid.uuid4().hex[:24])
    return [
        ("Date", email.utils.formatdate(usegmt=True)),
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Connection", "keep-alive"),
        ("x-amzn-RequestId", str(uuid.uuid4())),
        ("X-Amz-Executed-Version", "$LATEST"),
        ("x-amzn-Remapped-Content-Length", "0"),
        ("X-Amzn-Trace-Id", f"root={trace_root};sampled=0"),
    ]


def serialize_response(status, reason, headers, body):
    head = f"HTTP/1.1 {status} {reason}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers)
    return head.encode("latin-1") + b"\r\n" + body


def serialize_request(prepared):
    """Bytes urllib3 (via http.client) writes for ``prepared``."""
    split = botocore.compat.urlsplit(prepared.url)
    target = split.path + (f"?{split.query}" if split.query else "")
    lines = [f"{prepared.method} {target} HTTP/1.1"]
    names = {k.lower() for k in prepared.headers.keys()}
    if "host" not in names:
        lines.append(f"Host: {split.netloc}")
    if "accept-encoding" not in names:
        lines.append("Accept-Encoding: identity")
    for name, value in prepared.headers.items():
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        lines.append(f"{name}: {value}")
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif hasattr(body, "read"):
        body = body.read()
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def make_client():
    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    return session.client("lambda", endpoint_url=ENDPOINT)


def capture_offline():
    client = make_client()
    captured = {}

    def before_send(request, **_kwargs):
        captured["request"] = serialize_request(request)
        headers = lambda_response_headers(RESULT)
        captured["response"] = serialize_response(200, "OK", headers, RESULT)
        return AWSResponse(request.url, 200, dict(headers), _Raw(RESULT))

    client.meta.events.register("before-send.lambda.Invoke", before_send)
    result = client.invoke(FunctionName=FUNCTION, Payload=EVENT)
    payload = result["Payload"].read()
    if payload != RESULT or result["StatusCode"] != 200:
        sys.exit(f"boto3 did not accept the modelled response: {result!r}")
    return captured["request"], captured["response"]


def capture_on_loopback():
    """Send the call to a one-shot server on 127.0.0.1:8080 and return the bytes it got."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((ENDPOINT_HOST, ENDPOINT_PORT))
    server.listen(1)
    received = {}

    def serve():
        conn, _ = server.accept()
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            body += conn.recv(65536)
        received["request"] = head + b"\r\n\r\n" + body
        conn.sendall(serialize_response(200, "OK", lambda_response_headers(RESULT), RESULT))
        conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    client = make_client()
    result = client.invoke(FunctionName=FUNCTION, Payload=EVENT)
    thread.join()
    server.close()
    if result["Payload"].read() != RESULT:
        sys.exit("loopback call did not return the result")
    return received["request"]


def header_shape(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    shape = [lines[0]]
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        shape.append((name, len(value)) if name.lower() in VOLATILE else (name, value))
    return shape, body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", default=os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures"))
    parser.add_argument("--verify", action="store_true", help="compare with a real send over loopback")
    args = parser.parse_args()

    request, response = capture_offline()
    os.makedirs(args.out_dir, exist_ok=True)
    req_path = os.path.join(args.out_dir, "boto3_invoke_request.http")
    resp_path = os.path.join(args.out_dir, "lambda_invoke_response.http")
    with open(req_path, "wb") as f:
        f.write(request)
    with open(resp_path, "wb") as f:
        f.write(response)
    print(json.dumps({
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "request_bytes": len(request),
        "response_bytes": len(response),
        "request_file": os.path.relpath(req_path),
        "response_file": os.path.relpath(resp_path),
    }, indent=2))

    if args.verify:
        wire = capture_on_loopback()
        if header_shape(wire) != header_shape(request) or len(wire) != len(request):
            print("MISMATCH between reconstruction and loopback capture:", file=sys.stderr)
            print(wire.decode("latin-1"), file=sys.stderr)
            sys.exit(1)
        print(f"verified: loopback capture has the same headers and length ({len(wire)} bytes)")


if __name__ == "__main__":
    main()
