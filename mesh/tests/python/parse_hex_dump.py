# event: {"data": "Hello, IoT!"}
def handler(event, context):
    raw = event["data"].encode()
    h = raw.hex()
    pairs = [h[i:i + 2] for i in range(0, len(h), 2)]
    back = bytes.fromhex(" ".join(pairs)).decode()
    return {"hex": h, "pairs": pairs, "back": back, "sum": sum(raw), "upper": h.upper()}
