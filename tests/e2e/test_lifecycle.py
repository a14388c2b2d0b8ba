"""The function lifecycle through boto3: create, get, list, update, invoke
(sync, async, dry run, Tail logs), versions, aliases, delete."""

import base64
import hashlib
import json
import re
import time
import urllib.request

import pytest

from conftest import HANDLER, make_zip


def invoke(lam, name, event=None, **kw):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(event or {}).encode(), **kw)
    return r, json.loads(r["Payload"].read())


def test_health_and_metrics(node):
    h = json.loads(urllib.request.urlopen(node.url + "/_nanolambda/health").read())
    assert h["node"].startswith("node-") and h["tier"] == "cloud" and h["version"]
    text = urllib.request.urlopen(node.url + "/_nanolambda/metrics").read().decode()
    assert "nanolambda_executor_queue_depth" in text
    assert "nanolambda_resident_memory_bytes" in text


def test_create_get_and_configuration_shape(lam, create):
    zip_bytes = make_zip({"lambda_function.py": HANDLER})
    name = create(Description="sums", Timeout=5, MemorySize=256,
                  Environment={"Variables": {"GREETING": "hello"}})
    c = lam.get_function_configuration(FunctionName=name)
    assert c["ResponseMetadata"]["RequestId"]
    assert c["FunctionName"] == name
    assert c["FunctionArn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
    assert c["Runtime"] == "python3.12"
    assert c["Role"] == "arn:aws:iam::000000000000:role/lambda"
    assert c["Handler"] == "lambda_function.handler"
    assert c["Description"] == "sums"
    assert (c["Timeout"], c["MemorySize"]) == (5, 256)
    assert c["CodeSize"] == len(zip_bytes)
    assert c["CodeSha256"] == base64.b64encode(hashlib.sha256(zip_bytes).digest()).decode()
    assert c["Version"] == "$LATEST"
    assert c["Environment"] == {"Variables": {"GREETING": "hello"}}
    assert (c["State"], c["LastUpdateStatus"], c["PackageType"]) == ("Active", "Successful", "Zip")
    assert c["Architectures"] == ["x86_64"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", c["LastModified"])
    f = lam.get_function(FunctionName=name)
    assert f["Configuration"]["CodeSha256"] == c["CodeSha256"]
    code = urllib.request.urlopen(f["Code"]["Location"]).read()
    assert code == zip_bytes
    # defaults
    d = lam.get_function_configuration(FunctionName=create())
    assert (d["Timeout"], d["MemorySize"]) == (3, 128)
    assert "Environment" not in d


def test_invoke_sync_with_tail_log(lam, create):
    name = create(Environment={"Variables": {"GREETING": "hi"}})
    r, body = invoke(lam, name, {"values": [1, 2, 3]}, LogType="Tail")
    assert r["StatusCode"] == 200
    assert "FunctionError" not in r
    assert r["ExecutedVersion"] == "$LATEST"
    assert len(r["ResponseMetadata"]["RequestId"]) == 36
    assert body == {"sum": 6, "greeting": "hi", "version": "$LATEST", "memory": "128"}
    env_fn = create(files={"lambda_function.py":
                           "import os\ndef handler(e, c):\n"
                           "    return [os.environ['AWS_LAMBDA_FUNCTION_NAME'], os.environ['AWS_REGION']]\n"})
    assert invoke(lam, env_fn)[1] == [env_fn, "us-east-1"]
    log = base64.b64decode(r["LogResult"]).decode()
    lines = log.splitlines()
    assert lines[0].startswith("START RequestId: ") and lines[0].endswith(" Version: $LATEST")
    assert 'got {"values": [1, 2, 3]}' in lines
    assert any(l.startswith("END RequestId: ") for l in lines)
    report = lines[-1]
    assert report.startswith("REPORT RequestId: ")
    for field in ("Duration: ", "Billed Duration: ", "Memory Size: 128 MB", "Max Memory Used: "):
        assert field in report


def test_tail_log_is_last_4kb(lam, create):
    src = "def handler(e, c):\n    for i in range(2000):\n        print('line', i)\n    return 1\n"
    name = create(files={"lambda_function.py": src})
    r, body = invoke(lam, name, LogType="Tail")
    log = base64.b64decode(r["LogResult"])
    assert len(log) <= 4096
    text = log.decode()
    assert "line 1999" in text and "line 0\n" not in text
    assert text.splitlines()[-1].startswith("REPORT RequestId:")


def test_list_functions_with_pagination(lam, create):
    names = {create() for _ in range(5)}
    seen, marker, pages = set(), None, 0
    while True:
        kw = {"MaxItems": 2}
        if marker:
            kw["Marker"] = marker
        page = lam.list_functions(**kw)
        pages += 1
        assert len(page["Functions"]) <= 2
        seen |= {f["FunctionName"] for f in page["Functions"]}
        marker = page.get("NextMarker")
        if not marker:
            break
    assert names <= seen and pages >= 3
    paginated = {f["FunctionName"] for p in lam.get_paginator("list_functions").paginate()
                 for f in p["Functions"]}
    assert names <= paginated


def test_update_code_and_configuration(lam, create):
    name = create()
    new = make_zip({"lambda_function.py": "def handler(e, c):\n    return 'v2'\n"})
    c = lam.update_function_code(FunctionName=name, ZipFile=new)
    assert c["CodeSha256"] == base64.b64encode(hashlib.sha256(new).digest()).decode()
    assert invoke(lam, name)[1] == "v2"
    c = lam.update_function_configuration(FunctionName=name, Timeout=7, MemorySize=512,
                                           Description="new",
                                           Environment={"Variables": {"A": "1"}})
    assert (c["Timeout"], c["MemorySize"], c["Description"]) == (7, 512, "new")
    assert c["Environment"]["Variables"] == {"A": "1"}
    # handler change recompiles for the new module
    two = make_zip({"lambda_function.py": "def handler(e, c):\n    return 1\n",
                    "other.py": "def main(e, c):\n    return 'other'\n"})
    lam.update_function_code(FunctionName=name, ZipFile=two)
    lam.update_function_configuration(FunctionName=name, Handler="other.main")
    assert invoke(lam, name)[1] == "other"


def test_async_and_dry_run(lam, node, create):
    name = create()
    r = lam.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"values": [1]}')
    assert r["StatusCode"] == 202
    r = lam.invoke(FunctionName=name, InvocationType="DryRun")
    assert r["StatusCode"] == 204
    deadline = time.time() + 10
    while time.time() < deadline:
        text = urllib.request.urlopen(node.url + "/_nanolambda/metrics").read().decode()
        if f'nanolambda_invocations_total{{function="{name}"}} 1' in text:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the asynchronous invocation never ran")


def test_async_retries_failures_twice(lam, node, create):
    name = create()
    lam.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"fail": true}')
    deadline = time.time() + 15
    line = f'nanolambda_errors_total{{function="{name}"}} 3'
    while time.time() < deadline:
        text = urllib.request.urlopen(node.url + "/_nanolambda/metrics").read().decode()
        if line in text:
            break
        time.sleep(0.2)
    else:
        pytest.fail("expected 3 attempts (1 + 2 retries)")
    time.sleep(3.5)
    text = urllib.request.urlopen(node.url + "/_nanolambda/metrics").read().decode()
    assert line in text, "no fourth attempt"


def test_versions_aliases_and_qualifiers(lam, create):
    name = create(Publish=True)
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] \
        == ["$LATEST", "1"]
    lam.update_function_code(FunctionName=name, ZipFile=make_zip(
        {"lambda_function.py": "def handler(e, c):\n    return ['v2', c.function_version]\n"}))
    v2 = lam.publish_version(FunctionName=name, Description="second")
    assert v2["Version"] == "2" and v2["Description"] == "second"
    assert v2["FunctionArn"].endswith(f":function:{name}:2")
    r, body = invoke(lam, name, {"values": [2]}, Qualifier="1")
    assert body["sum"] == 2 and body["version"] == "1" and r["ExecutedVersion"] == "1"
    r, body = invoke(lam, name, Qualifier="2")
    assert body == ["v2", "2"] and r["ExecutedVersion"] == "2"
    assert lam.get_function(FunctionName=name, Qualifier="1")["Configuration"]["Version"] == "1"

    a = lam.create_alias(FunctionName=name, Name="prod", FunctionVersion="1", Description="p")
    assert a["AliasArn"].endswith(f":function:{name}:prod") and a["FunctionVersion"] == "1"
    assert invoke(lam, name, Qualifier="prod")[0]["ExecutedVersion"] == "1"
    assert invoke(lam, f"{name}:prod")[0]["ExecutedVersion"] == "1"
    lam.update_alias(FunctionName=name, Name="prod", FunctionVersion="2")
    assert lam.get_alias(FunctionName=name, Name="prod")["FunctionVersion"] == "2"
    assert invoke(lam, name, Qualifier="prod")[1] == ["v2", "2"]
    lam.create_alias(FunctionName=name, Name="dev", FunctionVersion="$LATEST")
    assert sorted(a["Name"] for a in lam.list_aliases(FunctionName=name)["Aliases"]) == ["dev", "prod"]
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.create_alias(FunctionName=name, Name="dev", FunctionVersion="1")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.create_alias(FunctionName=name, Name="x", FunctionVersion="9")
    # a version an alias points at cannot be deleted
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.delete_function(FunctionName=name, Qualifier="2")
    # Weighted routing: the alias sends a share of its invocations to a
    # second version; ExecutedVersion names the one that ran.
    w = lam.update_alias(FunctionName=name, Name="prod", FunctionVersion="1",
                         RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}})
    assert w["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.5}}
    assert lam.get_alias(FunctionName=name, Name="prod")["RoutingConfig"] == \
        {"AdditionalVersionWeights": {"2": 0.5}}
    ran = {"1": 0, "2": 0}
    for _ in range(60):
        r, body = invoke(lam, name, {"values": [1]}, Qualifier="prod")
        ran[r["ExecutedVersion"]] += 1
        assert (body == ["v2", "2"]) == (r["ExecutedVersion"] == "2")
    assert ran["1"] >= 10 and ran["2"] >= 10, ran  # 60 fair draws: P(fail) < 1e-5
    # A routed-to version cannot be deleted either.
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.delete_function(FunctionName=name, Qualifier="2")
    for bad in ({"2": 1.5}, {"1": 0.1}, {"9": 0.1}, {"2": 0.1, "3": 0.1}):
        with pytest.raises((lam.exceptions.InvalidParameterValueException,
                            lam.exceptions.ResourceNotFoundException)):
            lam.update_alias(FunctionName=name, Name="prod",
                             RoutingConfig={"AdditionalVersionWeights": bad})
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.update_alias(FunctionName=name, Name="dev",
                         RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}})
    # Leaving RoutingConfig out keeps it; an empty one removes it.
    lam.update_alias(FunctionName=name, Name="prod", Description="weighted")
    assert "RoutingConfig" in lam.get_alias(FunctionName=name, Name="prod")
    lam.update_alias(FunctionName=name, Name="prod", FunctionVersion="2",
                     RoutingConfig={"AdditionalVersionWeights": {}})
    assert "RoutingConfig" not in lam.get_alias(FunctionName=name, Name="prod")
    lam.delete_function(FunctionName=name, Qualifier="1")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        invoke(lam, name, Qualifier="1")
    lam.delete_alias(FunctionName=name, Name="dev")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_alias(FunctionName=name, Name="dev")
    lam.delete_function(FunctionName=name)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_alias(FunctionName=name, Name="prod")
