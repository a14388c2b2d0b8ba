"""Asynchronous invocation configuration through boto3:
Put/Get/Update/List/DeleteFunctionEventInvokeConfig, a lower retry count,
and OnSuccess/OnFailure destinations (functions that receive Lambda's
invocation record as their event, and here store it in S3)."""

import json
import time

import pytest

from test_s3_api import REGION, client

RECORDER = """
import json
import boto3

s3 = boto3.client("s3", region_name="us-east-1")

def handler(event, context):
    key = event["requestContext"]["condition"] + "/" + event["requestContext"]["requestId"]
    s3.put_object(Bucket="event-records", Key=key, Body=json.dumps(event).encode())
    return key
"""


def arn(fn):
    return f"arn:aws:lambda:{REGION}:000000000000:function:{fn}"


@pytest.fixture(scope="module")
def s3(node):
    s3 = client(node)
    s3.create_bucket(Bucket="event-records")
    return s3


def record(s3, condition, request_id, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            body = s3.get_object(Bucket="event-records", Key=f"{condition}/{request_id}")["Body"].read()
            return json.loads(body)
        except s3.exceptions.NoSuchKey:
            time.sleep(0.1)
    raise AssertionError(f"no {condition} record for {request_id}")


def test_config_lifecycle(lam, create):
    name = create()
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function_event_invoke_config(FunctionName=name)
    c = lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1,
                                             MaximumEventAgeInSeconds=600)
    assert c["FunctionArn"] == arn(name) + ":$LATEST"
    assert (c["MaximumRetryAttempts"], c["MaximumEventAgeInSeconds"]) == (1, 600)
    assert c["LastModified"].year >= 2024  # a timestamp boto3 parsed
    # Update changes what it is given and keeps the rest.
    u = lam.update_function_event_invoke_config(
        FunctionName=name, DestinationConfig={"OnFailure": {"Destination": arn("elsewhere")}})
    assert u["MaximumRetryAttempts"] == 1
    assert u["DestinationConfig"]["OnFailure"]["Destination"] == arn("elsewhere")
    assert lam.get_function_event_invoke_config(FunctionName=name)["MaximumEventAgeInSeconds"] == 600
    # Put replaces.
    p = lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0)
    assert "MaximumEventAgeInSeconds" not in p and p["DestinationConfig"]["OnFailure"] == {}
    listed = lam.list_function_event_invoke_configs(FunctionName=name)["FunctionEventInvokeConfigs"]
    assert [x["FunctionArn"] for x in listed] == [arn(name) + ":$LATEST"]
    for bad in ({"MaximumRetryAttempts": 3}, {"MaximumEventAgeInSeconds": 21601},
                {"DestinationConfig": {"OnSuccess": {"Destination": "arn:aws:sqs:us-east-1:000000000000:q"}}},
                {"DestinationConfig": {"OnFailure": {"Destination": arn(name)}}}):
        with pytest.raises(lam.exceptions.InvalidParameterValueException):
            lam.put_function_event_invoke_config(FunctionName=name, **bad)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.put_function_event_invoke_config(FunctionName=name + "-missing", MaximumRetryAttempts=0)
    lam.delete_function_event_invoke_config(FunctionName=name)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function_event_invoke_config(FunctionName=name)


def test_destinations_get_invocation_records(lam, node, s3, create):
    sink = create(files={"lambda_function.py": RECORDER})
    worker = create()
    lam.put_function_event_invoke_config(
        FunctionName=worker, MaximumRetryAttempts=0,
        DestinationConfig={"OnSuccess": {"Destination": arn(sink)},
                           "OnFailure": {"Destination": arn(sink)}})
    ok = lam.invoke(FunctionName=worker, InvocationType="Event", Payload=b'{"values": [1, 2]}')
    ok_id = ok["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]
    r = record(s3, "Success", ok_id)
    assert r["version"] == "1.0"
    assert r["requestContext"]["functionArn"] == arn(worker) + ":$LATEST"
    assert r["requestContext"]["approximateInvokeCount"] == 1
    assert r["requestPayload"] == {"values": [1, 2]}
    assert r["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST"}
    assert r["responsePayload"]["sum"] == 3
    # MaximumRetryAttempts=0: one run, then the failure record.
    bad = lam.invoke(FunctionName=worker, InvocationType="Event", Payload=b'{"fail": true}')
    bad_id = bad["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]
    r = record(s3, "RetriesExhausted", bad_id)
    assert r["requestContext"]["approximateInvokeCount"] == 1
    assert r["responseContext"]["functionError"] == "Unhandled"
    assert r["responsePayload"]["errorType"] == "ValueError"
    assert r["responsePayload"]["errorMessage"] == "asked to fail"
