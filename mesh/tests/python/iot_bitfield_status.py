# event: {"words": [0, 1, 5, 255, 1024, 3]}
FLAGS = ["power", "link", "sensor_ok", "calibrated"]

def decode(word):
    return [name for bit, name in enumerate(FLAGS) if word & (1 << bit)]

def handler(event, context):
    out = {}
    for w in event["words"]:
        out[str(w)] = {"flags": decode(w), "high": w >> 8, "low": w & 0xFF}
    return out
