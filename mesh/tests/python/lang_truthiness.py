# event: {"values": [0, 1, -1, 0.0, 0.1, "", " ", [], [0], {}, {"a": 0}, null, true, false]}
def handler(event, context):
    vals = event["values"] + [(), (0,), set(), range(0), range(1), b"", b"\x00"]
    return [bool(v) for v in vals] + [1 if vals else 0, len([v for v in vals if v])]
