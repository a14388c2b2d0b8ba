# event: {"Records": [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "telemetry"}, "object": {"key": "raw/2026/11/27/dev%3D7/reading+1.json", "size": 1024, "eTag": "abc"}}}, {"eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": "telemetry"}, "object": {"key": "raw/old+file%20x.csv"}}}]}
# arena-kib: 128
from urllib.parse import unquote_plus, urlencode, parse_qs, quote


def handler(event, context):
    out = []
    for rec in event["Records"]:
        obj = rec["s3"]["object"]
        key = unquote_plus(obj["key"])
        folder, _, name = key.rpartition("/")
        stem, dot, ext = name.rpartition(".")
        action = rec["eventName"].split(":")[0].replace("Object", "").lower()
        out.append({
            "bucket": rec["s3"]["bucket"]["name"],
            "key": key,
            "folder": folder.split("/"),
            "stem": stem,
            "ext": ext if dot else None,
            "size_kib": obj.get("size", 0) / 1024,
            "action": action,
            "uri": f"s3://{rec['s3']['bucket']['name']}/{quote(key)}",
        })
    return {
        "objects": out,
        "qs": urlencode({"a": 1, "b": "x y", "c": "é"}),
        "parsed": parse_qs("a=1&a=2&b=&c=%20z", keep_blank_values=True),
    }
