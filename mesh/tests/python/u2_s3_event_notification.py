# event: {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-west-2", "eventTime": "2024-05-06T07:08:09.000Z", "eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "telemetry-raw", "arn": "arn:aws:s3:::telemetry-raw"}, "object": {"key": "year%3D2024/month%3D05/dev+01/reading+%231.json", "size": 1024, "eTag": "d41d8cd98f00b204e9800998ecf8427e"}}}, {"eventSource": "aws:s3", "awsRegion": "us-west-2", "eventTime": "2024-05-06T07:09:00.000Z", "eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": "telemetry-raw"}, "object": {"key": "tmp/x.csv"}}}]}
# arena-kib: 256
import os
import urllib.parse


def partitions(key):
    parts = {}
    for seg in os.path.dirname(key).split("/"):
        k, sep, v = seg.partition("=")
        if sep:
            parts[k] = v
    return parts


def handler(event, context):
    results = []
    for rec in event["Records"]:
        bucket = rec["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(rec["s3"]["object"]["key"])
        action, _, detail = rec["eventName"].partition(":")
        base, ext = os.path.splitext(os.path.basename(key))
        results.append({
            "uri": f"s3://{bucket}/{key}",
            "action": action,
            "detail": detail,
            "base": base,
            "ext": ext.lstrip("."),
            "parts": partitions(key),
            "size_kb": round(rec["s3"]["object"].get("size", 0) / 1024, 3),
            "quoted": urllib.parse.quote(key),
        })
    return {"results": results, "qs": urllib.parse.urlencode({"a": "x y", "b": "1&2"})}
