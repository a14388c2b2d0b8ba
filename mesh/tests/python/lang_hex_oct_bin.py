# event: {"values": [0, 1, 255, -255, 4096, 9223372036854775807]}
def handler(event, context):
    out = []
    for v in event["values"]:
        out.append([hex(v), oct(v), bin(v) if abs(v) < 5000 else len(bin(v))])
    return {"out": out, "back": [int(hex(255), 16), int(oct(8), 8), int(bin(5), 2)]}
