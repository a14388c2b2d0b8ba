"""S3 from inside functions: the classic IoT pipeline (an upload triggers a
function that reads the object with boto3 in the VM and writes a result
object, whose put triggers the next stage), and S3 errors caught inside a
function as `s3.exceptions.NoSuchKey` and `botocore.exceptions.ClientError`."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from test_s3_api import REGION, client


@pytest.fixture(scope="module")
def s3(node):
    return client(node)


@pytest.fixture
def bucket(s3, request):
    name = "p-" + "".join(c if c.isalnum() else "-" for c in request.node.name.lower())[:40].strip("-")
    s3.create_bucket(Bucket=name)
    yield name
    s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={})
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
        for o in page.get("Contents", []):
            s3.delete_object(Bucket=name, Key=o["Key"])
    s3.delete_bucket(Bucket=name)


def arn(fn):
    return f"arn:aws:lambda:{REGION}:000000000000:function:{fn}"


def wait_for(s3, bucket, key, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            return s3.get_object(Bucket=bucket, Key=key)
        except s3.exceptions.NoSuchKey:
            time.sleep(0.1)
    raise AssertionError(f"{key} never appeared in {bucket}")


SUMMARISE = """
import json
import boto3

s3 = boto3.client("s3", region_name="us-east-1")

def handler(event, context):
    rec = event["Records"][0]
    bucket = rec["s3"]["bucket"]["name"]
    key = rec["s3"]["object"]["key"]
    obj = s3.get_object(Bucket=bucket, Key=key)
    text = obj["Body"].read().decode("utf-8")
    values = [float(line.split(",")[1]) for line in text.strip().splitlines()[1:]]
    summary = {
        "source": key,
        "source_etag": obj["ETag"],
        "source_size": obj["ContentLength"],
        "source_type": obj["ContentType"],
        "sensor": obj["Metadata"].get("sensor"),
        "count": len(values),
        "mean": sum(values) / len(values),
        "max": max(values),
        "event": rec["eventName"],
    }
    out_key = "out/" + key[len("in/"):].replace(".csv", ".json")
    put = s3.put_object(Bucket=bucket, Key=out_key, Body=json.dumps(summary),
                        ContentType="application/json", Metadata={"stage": "summary"})
    return {"wrote": out_key, "etag": put["ETag"]}
"""

ALERT = """
import json
import boto3

def handler(event, context):
    s3 = boto3.client("s3")
    rec = event["Records"][0]
    bucket = rec["s3"]["bucket"]["name"]
    key = rec["s3"]["object"]["key"]
    head = s3.head_object(Bucket=bucket, Key=key)
    summary = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    level = "alert" if summary["max"] > 30 else "ok"
    s3.put_object(Bucket=bucket, Key="final/" + key[len("out/"):], Body=level.encode(),
                  Metadata={"stage": head["Metadata"]["stage"], "from": key})
    listing = s3.list_objects_v2(Bucket=bucket, Prefix="out/")
    return [o["Key"] for o in listing.get("Contents", [])]
"""


def test_upload_triggers_a_function_that_reads_and_writes_with_boto3(s3, bucket, create):
    summarise = create(files={"lambda_function.py": SUMMARISE})
    alert = create(files={"lambda_function.py": ALERT})
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "LambdaFunctionConfigurations": [
            {"Id": "summarise", "LambdaFunctionArn": arn(summarise),
             "Events": ["s3:ObjectCreated:Put"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"},
                                                {"Name": "suffix", "Value": ".csv"}]}}},
            # A function's own put raises the event for the next stage.
            {"Id": "alert", "LambdaFunctionArn": arn(alert), "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "out/"}]}}},
        ]})
    csv = "time,temp\n1,21.5\n2,22.5\n3,35.0\n"
    put = s3.put_object(Bucket=bucket, Key="in/node7.csv", Body=csv.encode(),
                        ContentType="text/csv", Metadata={"sensor": "node7"})

    result = wait_for(s3, bucket, "out/node7.json")
    assert result["ContentType"] == "application/json"
    assert result["Metadata"] == {"stage": "summary"}
    summary = json.loads(result["Body"].read())
    assert summary == {
        "source": "in/node7.csv", "source_etag": put["ETag"], "source_size": len(csv),
        "source_type": "text/csv", "sensor": "node7", "count": 3,
        "mean": pytest.approx((21.5 + 22.5 + 35.0) / 3), "max": 35.0,
        "event": "ObjectCreated:Put",
    }

    final = wait_for(s3, bucket, "final/node7.json")
    assert final["Body"].read() == b"alert"
    assert final["Metadata"] == {"stage": "summary", "from": "out/node7.json"}
    # Nothing else was written: the result objects trigger no loop.
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == ["final/node7.json", "in/node7.csv", "out/node7.json"]


ERRORS = """
import boto3
import botocore.exceptions
from botocore.exceptions import ClientError

def handler(event, context):
    s3 = boto3.client("s3", endpoint_url="http://ignored:1234", region_name="us-east-1")
    bucket = event["bucket"]
    out = {}
    try:
        s3.get_object(Bucket=bucket, Key="no/such/key")
        out["nsk"] = "no error"
    except s3.exceptions.NoSuchKey as e:
        out["nsk"] = [type(e).__name__, e.response["Error"]["Code"],
                      e.response["ResponseMetadata"]["HTTPStatusCode"], str(e)]
    try:
        s3.get_object(Bucket=bucket, Key="no/such/key")
    except ClientError as e:
        out["client_error"] = e.response["Error"]["Code"]
    try:
        s3.list_objects_v2(Bucket=bucket + "-missing")
    except botocore.exceptions.ClientError as e:
        out["nsb"] = [e.response["Error"]["Code"], isinstance(e, s3.exceptions.NoSuchBucket)]
    try:
        s3.head_object(Bucket=bucket, Key="no/such/key")
    except ClientError as e:
        out["head"] = e.response["Error"]["Code"]
    s3.put_object(Bucket=bucket, Key="made-by-function", Body=b"x")
    out["deleted"] = s3.delete_object(Bucket=bucket, Key="made-by-function")["ResponseMetadata"]["HTTPStatusCode"]
    if event.get("uncaught"):
        s3.get_object(Bucket=bucket, Key="still-missing")
    return out
"""


def test_s3_errors_are_catchable_inside_functions(s3, bucket, create, lam):
    fn = create(files={"lambda_function.py": ERRORS})
    r = lam.invoke(FunctionName=fn, Payload=json.dumps({"bucket": bucket}))
    assert "FunctionError" not in r, r["Payload"].read()
    out = json.loads(r["Payload"].read())
    assert out == {
        "nsk": ["NoSuchKey", "NoSuchKey", 404,
                "An error occurred (NoSuchKey) when calling the GetObject operation: "
                "The specified key does not exist."],
        "client_error": "NoSuchKey",
        "nsb": ["NoSuchBucket", True],
        "head": "404",
        "deleted": 204,
    }
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="made-by-function")
    # Uncaught, it is the function's error, typed as boto3 types it.
    r = lam.invoke(FunctionName=fn, Payload=json.dumps({"bucket": bucket, "uncaught": True}))
    assert r["FunctionError"] == "Unhandled"
    err = json.loads(r["Payload"].read())
    assert err["errorType"] == "NoSuchKey"
    assert "GetObject" in err["errorMessage"]


READS = """
import boto3
from botocore.exceptions import ClientError

def handler(event, context):
    s3 = boto3.client("s3")
    b, k = event["bucket"], "reads/data.txt"
    etag = s3.put_object(Bucket=b, Key=k, Body=b"0123456789abcdef")["ETag"]
    out = {}
    for name, rng in [("first", "bytes=0-3"), ("open", "bytes=10-"), ("suffix", "bytes=-4"),
                      ("past_end", "bytes=12-99"), ("ignored", "bytes=9-2")]:
        r = s3.get_object(Bucket=b, Key=k, Range=rng)
        out[name] = [r["Body"].read().decode(), r["ContentLength"], r.get("ContentRange"),
                     r["ResponseMetadata"]["HTTPStatusCode"]]
    for name, kw in [("bad_range", {"Range": "bytes=16-"}), ("if_match_other", {"IfMatch": '"0000"'}),
                     ("if_none_match_same", {"IfNoneMatch": etag})]:
        try:
            s3.get_object(Bucket=b, Key=k, **kw)
            out[name] = "no error"
        except ClientError as e:
            out[name] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
    out["if_match_same"] = s3.get_object(Bucket=b, Key=k, IfMatch=etag)["Body"].read().decode()
    out["if_none_match_other"] = s3.get_object(Bucket=b, Key=k, IfNoneMatch='"0000"')["ContentLength"]
    out["head_match"] = s3.head_object(Bucket=b, Key=k, IfMatch=etag)["ContentLength"]
    try:
        s3.head_object(Bucket=b, Key=k, IfNoneMatch=etag)
    except ClientError as e:
        out["head_not_modified"] = e.response["Error"]["Code"]
    return out
"""


DATES = """
import json
from datetime import datetime, timedelta, timezone

import boto3
from botocore.exceptions import ClientError, ParamValidationError

def handler(event, context):
    s3 = boto3.client("s3")
    b, k = event["bucket"], "dates/data.txt"
    etag = s3.put_object(Bucket=b, Key=k, Body=b"0123456789")["ETag"]
    out = {}
    got = s3.get_object(Bucket=b, Key=k)["LastModified"]
    lm = s3.head_object(Bucket=b, Key=k)["LastModified"]
    listed = s3.list_objects_v2(Bucket=b, Prefix="dates/")["Contents"][0]["LastModified"]
    paged = [o["LastModified"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket=b)
             for o in p.get("Contents", [])]
    out["types"] = [type(v).__name__ for v in (got, lm, listed, paged[0])]
    out["utc"] = [v.utcoffset() == timedelta(0) for v in (got, lm, listed)]
    out["str_shape"] = [len(str(lm)), str(lm)[10], str(lm)[-6:], lm.isoformat()[10]]
    out["whole_seconds"] = [lm.microsecond, lm.timestamp() == int(lm.timestamp()), got == lm]
    out["listed_close"] = [abs((listed - lm).total_seconds()) < 1, listed.replace(microsecond=0) == lm]
    out["compare"] = [lm < lm + timedelta(seconds=1), lm <= datetime.now(timezone.utc) + timedelta(days=1)]
    out["json"] = json.dumps({"t": lm}, default=str) == json.dumps({"t": str(lm)})
    day = timedelta(days=1)
    later = lm + day
    cases = [
        ("ims_before", {"IfModifiedSince": lm - day}),
        ("ims_same", {"IfModifiedSince": lm}),
        ("ims_after", {"IfModifiedSince": later}),
        ("ius_before", {"IfUnmodifiedSince": lm - day}),
        ("ius_after", {"IfUnmodifiedSince": later}),
        ("ims_iso", {"IfModifiedSince": later.isoformat()}),
        ("ims_iso_z", {"IfModifiedSince": (lm - day).strftime("%Y-%m-%dT%H:%M:%SZ")}),
        ("ims_http", {"IfModifiedSince": later.strftime("%a, %d %b %Y %H:%M:%S GMT")}),
        ("ims_naive", {"IfModifiedSince": later.replace(tzinfo=None)}),
        ("ims_epoch", {"IfModifiedSince": int(later.timestamp())}),
        ("inm_other_ims_after", {"IfNoneMatch": '"0000"', "IfModifiedSince": later}),
        ("im_same_ius_before", {"IfMatch": etag, "IfUnmodifiedSince": lm - day}),
        ("version_null", {"VersionId": "null"}),
        ("version_other", {"VersionId": "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd"}),
    ]
    for name, kw in cases:
        for op in ("get", "head"):
            call = s3.get_object if op == "get" else s3.head_object
            try:
                out[name + "_" + op] = call(Bucket=b, Key=k, **kw)["ContentLength"]
            except ClientError as e:
                out[name + "_" + op] = [e.response["Error"]["Code"],
                                        e.response["ResponseMetadata"]["HTTPStatusCode"]]
    for bad in ("not a date", [1]):
        try:
            s3.get_object(Bucket=b, Key=k, IfModifiedSince=bad)
            out["bad_date"] = "no error"
        except ParamValidationError as e:
            out["bad_date"] = str(e).splitlines()[-1].split(", value:")[0]
    return out
"""


def test_ranged_and_conditional_reads_match_boto3(node, s3, bucket, create, lam, tmp_path):
    """The same handler run by CPython with the real boto3 against this
    node's S3 API and by the VM's boto3 gives the same result."""
    (tmp_path / "lambda_function.py").write_text(READS)
    env = dict(os.environ, AWS_ENDPOINT_URL=node.url, AWS_DEFAULT_REGION=REGION,
               AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    runner = Path(__file__).resolve().parents[2] / "tools" / "lambda_run.py"
    ref = subprocess.run([sys.executable, str(runner), str(tmp_path / "lambda_function.py"),
                          "--event", json.dumps({"bucket": bucket})],
                         env=env, capture_output=True, text=True, timeout=60)
    assert ref.returncode == 0, ref.stdout + ref.stderr
    expected = json.loads(ref.stdout)
    assert expected["first"] == ["0123", 4, "bytes 0-3/16", 206], expected
    assert expected["if_none_match_same"] == ["304", 304], expected

    fn = create(files={"lambda_function.py": READS})
    r = lam.invoke(FunctionName=fn, Payload=json.dumps({"bucket": bucket}))
    assert "FunctionError" not in r, r["Payload"].read()
    assert json.loads(r["Payload"].read()) == expected


def run_in_cpython(node, bucket, source, tmp_path):
    """`source`'s handler run by CPython with the real boto3 against the node."""
    (tmp_path / "lambda_function.py").write_text(source)
    env = dict(os.environ, AWS_ENDPOINT_URL=node.url, AWS_DEFAULT_REGION=REGION,
               AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    runner = Path(__file__).resolve().parents[2] / "tools" / "lambda_run.py"
    ref = subprocess.run([sys.executable, str(runner), str(tmp_path / "lambda_function.py"),
                          "--event", json.dumps({"bucket": bucket})],
                         env=env, capture_output=True, text=True, timeout=60)
    assert ref.returncode == 0, ref.stdout + ref.stderr
    return json.loads(ref.stdout)


def test_dates_and_versions_match_boto3(node, s3, bucket, create, lam, tmp_path):
    """LastModified is a UTC datetime, IfModifiedSince/IfUnmodifiedSince
    (datetimes, naive ones, ISO and HTTP date strings, epoch numbers) and
    VersionId behave as with CPython's boto3 against this node."""
    expected = run_in_cpython(node, bucket, DATES, tmp_path)
    assert expected["types"] == ["datetime"] * 4, expected
    assert expected["ims_same_get"] == ["304", 304], expected
    assert expected["ius_before_get"] == ["PreconditionFailed", 412], expected
    assert expected["ims_before_get"] == 10, expected
    assert expected["version_other_get"] == ["InvalidArgument", 400], expected
    assert expected["version_other_head"] == ["400", 400], expected
    assert expected["bad_date"] == "Invalid type for parameter IfModifiedSince", expected

    fn = create(files={"lambda_function.py": DATES})
    r = lam.invoke(FunctionName=fn, Payload=json.dumps({"bucket": bucket}))
    assert "FunctionError" not in r, r["Payload"].read()
    assert json.loads(r["Payload"].read()) == expected
