# event: {"values": [1000, 1002, 1001, 1005, 1005, 990, 1010]}
def encode(vals):
    out = [vals[0]]
    for a, b in zip(vals, vals[1:]):
        out.append(b - a)
    return out

def decode(deltas):
    out = []
    acc = 0
    for d in deltas:
        acc += d
        out.append(acc)
    return out

def handler(event, context):
    d = encode(event["values"])
    return {"deltas": d, "decoded_ok": decode(d) == event["values"]}
