"""Untrusted packages: broken zips, zip bombs, traversal names, no handler
module. Each gets a clear error; the node stays up and keeps its functions."""

import io
import json
import zipfile

import pytest
from botocore.exceptions import ClientError

from conftest import make_zip


def create_raw(lam, name, zip_bytes):
    return lam.create_function(FunctionName=name, Runtime="python3.12", Role="r",
                               Handler="lambda_function.handler", Code={"ZipFile": zip_bytes})


def bomb():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("lambda_function.py", "#" * (64 * 1024 * 1024))
    return buf.getvalue()


CASES = {
    "garbage": b"this is not a zip",
    "truncated": make_zip({"lambda_function.py": "def handler(e, c):\n    return 1\n"})[:40],
    "empty": b"",
    "bomb": bomb(),
    "traversal": make_zip({"lambda_function.py": "x=1\n", "../../etc/evil.py": "x=1\n"}),
    "absolute": make_zip({"lambda_function.py": "x=1\n", "/tmp/evil.py": "x=1\n"}),
    "no_handler_module": make_zip({"other.py": "def handler(e, c):\n    return 1\n"}),
    "nested_only": make_zip({"src/lambda_function.py": "def handler(e, c):\n    return 1\n"}),
    "not_utf8": make_zip({"lambda_function.py": b"x = '\xff'\n"}),
    "syntax_error": make_zip({"lambda_function.py": "def handler(e, c)\n    return 1\n"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_package_is_rejected(lam, node, create, case):
    keep = create()
    with pytest.raises(ClientError) as e:
        create_raw(lam, f"bad-{case}", CASES[case])
    err = e.value.response
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400, err
    assert err["Error"]["Code"] == "InvalidParameterValueException"
    assert err["Error"]["Message"]
    assert node.alive()
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=f"bad-{case}")
    r = lam.invoke(FunctionName=keep, Payload=b'{"values": [1, 1]}')
    assert json.loads(r["Payload"].read())["sum"] == 2


def test_messages_name_the_problem(lam):
    def message(case):
        with pytest.raises(ClientError) as e:
            create_raw(lam, f"msg-{case}", CASES[case])
        return e.value.response["Error"]["Message"]

    assert "unsafe path" in message("traversal")
    assert "larger than" in message("bomb")
    assert "lambda_function" in message("no_handler_module")
    assert message("not_utf8").startswith("lambda_function.py:1:")
    assert message("syntax_error").startswith("lambda_function.py:1:")


def test_bad_json_and_base64(node, lam):
    import urllib.request, urllib.error
    with pytest.raises(ClientError) as e:
        lam.create_function(FunctionName="b64", Runtime="python3.12", Role="r",
                            Handler="lambda_function.handler", Code={})
    assert e.value.response["Error"]["Code"] == "InvalidParameterValueException"
