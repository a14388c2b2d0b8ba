"""The aws CLI against the node (`aws lambda ... --endpoint-url`)."""

import base64
import json
import os
import shutil
import subprocess

import pytest

from conftest import make_zip

import sys
from pathlib import Path

# Prefer the aws CLI installed in the test virtualenv.
_VENV_AWS = Path(sys.executable).parent / "aws"
AWS = str(_VENV_AWS) if _VENV_AWS.exists() else shutil.which("aws")


def binary_format_args():
    """CLI v2 reads --payload as base64 unless told otherwise; v1 sends it raw."""
    v = subprocess.run([AWS, "--version"], capture_output=True, text=True).stdout + \
        subprocess.run([AWS, "--version"], capture_output=True, text=True).stderr
    return [] if "aws-cli/1." in v else ["--cli-binary-format", "raw-in-base64-out"]


def aws(node, *args):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
    out = subprocess.run([AWS, "lambda", *args, "--endpoint-url", node.url, "--output", "json"],
                         env=env, capture_output=True, text=True, timeout=60)
    return out


@pytest.mark.skipif(AWS is None, reason="aws CLI not installed")
def test_aws_cli_lifecycle(node, tmp_path):
    z = tmp_path / "fn.zip"
    z.write_bytes(make_zip({"lambda_function.py":
                            "def handler(e, c):\n    print('cli', e)\n    return {'n': e['n'] + 1}\n"}))
    r = aws(node, "create-function", "--function-name", "cli-fn", "--runtime", "python3.12",
            "--role", "arn:aws:iam::000000000000:role/lambda", "--handler",
            "lambda_function.handler", "--zip-file", f"fileb://{z}")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["FunctionName"] == "cli-fn"
    out = tmp_path / "out.json"
    r = aws(node, "invoke", "--function-name", "cli-fn", "--payload", '{"n": 41}',
            *binary_format_args(), "--log-type", "Tail", str(out))
    assert r.returncode == 0, r.stderr
    meta = json.loads(r.stdout)
    assert meta["StatusCode"] == 200 and meta["ExecutedVersion"] == "$LATEST"
    assert "cli {'n': 41}" in base64.b64decode(meta["LogResult"]).decode()
    assert json.loads(out.read_text()) == {"n": 42}
    r = aws(node, "list-functions")
    assert "cli-fn" in [f["FunctionName"] for f in json.loads(r.stdout)["Functions"]]
    r = aws(node, "get-function", "--function-name", "nope")
    assert r.returncode != 0 and "ResourceNotFoundException" in r.stderr
    r = aws(node, "delete-function", "--function-name", "cli-fn")
    assert r.returncode == 0, r.stderr
