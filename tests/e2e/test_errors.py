"""Errors in AWS's shape: unhandled exceptions, timeouts, compile errors,
not found, conflicts, payload too large, bad credentials."""

import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from conftest import make_zip


def test_unhandled_error_document(lam, create):
    name = create()
    r = lam.invoke(FunctionName=name, Payload=b'{"fail": true}')
    assert r["StatusCode"] == 200
    assert r["FunctionError"] == "Unhandled"
    doc = json.loads(r["Payload"].read())
    assert doc["errorType"] == "ValueError"
    assert doc["errorMessage"] == "asked to fail"
    assert any("lambda_function.py" in line for line in doc["stackTrace"])


def test_timeout(lam, create):
    name = create(Timeout=1)
    r = lam.invoke(FunctionName=name, Payload=b'{"spin": true}', LogType="Tail")
    assert r["FunctionError"] == "Unhandled"
    doc = json.loads(r["Payload"].read())
    assert doc["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in doc["errorMessage"]


def test_compile_error_is_rejected_with_location(lam, create):
    bad = make_zip({"lambda_function.py": "def handler(e, c):\n    return (1,\n\nx = 2 +\n"})
    with pytest.raises(ClientError) as e:
        create(files={"lambda_function.py": "def handler(e, c):\n    return [(y := x) for x in e]\n"})
    err = e.value.response["Error"]
    assert err["Code"] == "InvalidParameterValueException"
    assert err["Message"].startswith("lambda_function.py:2:"), err["Message"]
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # an update with broken code keeps the old code
    name = create()
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.update_function_code(FunctionName=name, ZipFile=bad)
    assert "lambda_function.py:" in str(e.value)
    r = lam.invoke(FunctionName=name, Payload=b'{"values": [5]}')
    assert json.loads(r["Payload"].read())["sum"] == 5


def test_not_found_and_conflict(lam, create):
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
        lam.invoke(FunctionName="does-not-exist")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    for call in (lambda: lam.get_function(FunctionName="does-not-exist"),
                 lambda: lam.delete_function(FunctionName="does-not-exist"),
                 lambda: lam.update_function_configuration(FunctionName="does-not-exist", Timeout=3),
                 lambda: lam.publish_version(FunctionName="does-not-exist"),
                 lambda: lam.list_versions_by_function(FunctionName="does-not-exist")):
        with pytest.raises(lam.exceptions.ResourceNotFoundException):
            call()
    name = create()
    with pytest.raises(lam.exceptions.ResourceConflictException) as e:
        create(name=name)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_payload_too_large(lam, create):
    name = create()
    with pytest.raises(lam.exceptions.RequestTooLargeException) as e:
        lam.invoke(FunctionName=name, Payload=b'"' + b"x" * (6 * 1024 * 1024) + b'"')
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413


def test_invalid_parameters(lam, node, create):
    raw = node.client(parameter_validation=False)
    for bad in ({"MemorySize": 64}, {"Timeout": 0}, {"MemorySize": 20000}):
        with pytest.raises(lam.exceptions.InvalidParameterValueException):
            raw.create_function(FunctionName="badparam", Runtime="python3.12", Role="r",
                                Handler="lambda_function.handler",
                                Code={"ZipFile": make_zip({"lambda_function.py": "x=1\n"})}, **bad)
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        create(handler="nodot")
    with pytest.raises(ClientError) as e:
        lam.create_function(FunctionName="rt", Runtime="nodejs20.x", Role="r",
                            Handler="lambda_function.handler",
                            Code={"ZipFile": make_zip({"lambda_function.py": "x=1\n"})})
    assert e.value.response["Error"]["Code"] == "InvalidParameterValueException"
    name = create()
    with pytest.raises(lam.exceptions.InvalidRequestContentException) as e:
        lam.invoke(FunctionName=name, Payload=b"{not json")
    assert "Could not parse request body into json" in str(e.value)


def test_unsigned_and_wrongly_signed_requests_are_refused(node):
    req = urllib.request.Request(node.url + "/2015-03-31/functions/")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 403
    assert e.value.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    req = urllib.request.Request(node.url + "/2015-03-31/functions/", headers={
        "Authorization": "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/s3/aws4_request, "
                         "SignedHeaders=host, Signature=00"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 403
    assert e.value.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
    req = urllib.request.Request(node.url + "/2015-03-31/functions/",
                                 headers={"Authorization": "garbage"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.headers["x-amzn-ErrorType"] == "IncompleteSignatureException"
