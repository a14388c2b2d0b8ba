# event: {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1", "eventTime": "2024-05-01T12:00:00.000Z", "eventName": "ObjectCreated:Put", "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "telemetry-raw", "arn": "arn:aws:s3:::telemetry-raw"}, "object": {"key": "site%3Dberlin/year%3D2024/month%3D05/readings+v2.CSV", "size": 52311, "eTag": "abc", "sequencer": "00A"}}}, {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1", "eventTime": "2024-05-01T12:00:00.000Z", "eventName": "ObjectCreated:Put", "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "telemetry-raw", "arn": "arn:aws:s3:::telemetry-raw"}, "object": {"key": "site%3Dberlin/year%3D2024/month%3D05/meta.json", "size": 900, "eTag": "abc", "sequencer": "00A"}}}, {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1", "eventTime": "2024-05-01T12:00:00.000Z", "eventName": "ObjectCreated:CompleteMultipartUpload", "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "telemetry-raw", "arn": "arn:aws:s3:::telemetry-raw"}, "object": {"key": "site%3Doslo/year%3D2024/dump.parquet.gz", "size": 20000000, "eTag": "abc", "sequencer": "00A"}}}, {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1", "eventTime": "2024-05-01T12:00:00.000Z", "eventName": "ObjectRemoved:Delete", "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "telemetry-raw", "arn": "arn:aws:s3:::telemetry-raw"}, "object": {"key": "site%3Doslo/year%3D2024/old+file", "size": 0, "eTag": "abc", "sequencer": "00A"}}}, {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1", "eventTime": "2024-05-01T12:00:00.000Z", "eventName": "ObjectCreated:Copy", "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "telemetry-raw", "arn": "arn:aws:s3:::telemetry-raw"}, "object": {"key": "README", "size": 2048, "eTag": "abc", "sequencer": "00A"}}}]}
# arena-kib: 128
import posixpath
from bisect import bisect_right
from collections import Counter, defaultdict
from urllib.parse import unquote_plus

SIZE_BUCKETS = [1024, 64 * 1024, 1024 * 1024, 16 * 1024 * 1024]
BUCKET_NAMES = ["<1K", "<64K", "<1M", "<16M", ">=16M"]


def human(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return str(n)


def describe(record):
    s3 = record["s3"]
    key = unquote_plus(s3["object"]["key"])
    directory, filename = posixpath.split(key)
    stem, ext = posixpath.splitext(filename)
    size = s3["object"].get("size", 0)
    return {
        "bucket": s3["bucket"]["name"],
        "key": key,
        "dir": directory,
        "stem": stem,
        "ext": ext.lower().lstrip(".") or None,
        "size": size,
        "sizeClass": BUCKET_NAMES[bisect_right(SIZE_BUCKETS, size)],
        "deleted": record["eventName"].startswith("ObjectRemoved"),
        "partition": dict(
            part.split("=", 1) for part in directory.split("/") if "=" in part
        ),
    }


def handler(event, context):
    objects = [describe(r) for r in event.get("Records", [])]
    by_ext = Counter(o["ext"] or "none" for o in objects if not o["deleted"])
    by_dir = defaultdict(list)
    for o in objects:
        by_dir[o["dir"]].append(o["stem"])
    live_bytes = sum(o["size"] for o in objects if not o["deleted"])
    return {
        "objects": objects,
        "byExt": dict(by_ext.most_common()),
        "byDir": {d: sorted(v) for d, v in sorted(by_dir.items())},
        "liveBytes": human(live_bytes),
        "largest": max(objects, key=lambda o: o["size"])["key"] if objects else None,
        "normalized": posixpath.normpath("/a/./b/../c//d/"),
        "joined": posixpath.join("exports", "2024", "x.csv"),
    }
