# event: {"n": 3000, "rounds": 80}
# arena-kib: 2048
import json

class Reading:
    def __init__(self, device, seq, value):
        self.device = device
        self.seq = seq
        self.value = value

    def to_dict(self):
        return {"d": self.device, "s": self.seq, "v": self.value}

def handler(event, context):
    result = None
    for r in range(event["rounds"]):
        result = one_round(event["n"] + r)
    return result

def one_round(n):
    readings = [Reading("dev-%d" % (i % 8), i, (i * 37 % 1000) / 10) for i in range(n)]
    batches = []
    for start in range(0, len(readings), 50):
        chunk = readings[start:start + 50]
        payload = {"count": len(chunk), "items": [r.to_dict() for r in chunk if r.value >= 5.0]}
        batches.append(json.dumps(payload, separators=(",", ":")))
    sizes = [len(b) for b in batches]
    return {"batches": len(batches), "bytes": sum(sizes), "max": max(sizes)}
