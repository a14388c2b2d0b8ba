# event: {"values": [1, 2, -3, 4]}
def positive(v):
    assert v > 0, "value must be positive, got %d" % v
    return v

def handler(event, context):
    out = []
    for v in event["values"]:
        try:
            out.append(positive(v))
        except AssertionError as e:
            out.append(str(e))
    try:
        assert False
    except AssertionError as e:
        out.append(["bare", str(e), len(e.args)])
    return out
