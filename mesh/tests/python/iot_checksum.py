# event: {"frames": ["0102030405", "ffff", "", "a5a5a5"]}
def checksum(data):
    s = 0
    for b in data:
        s = (s + b) & 0xFF
    return (~s + 1) & 0xFF

def handler(event, context):
    return [{"frame": f, "sum": checksum(bytes.fromhex(f)), "xor": xor_all(bytes.fromhex(f))} for f in event["frames"]]

def xor_all(data):
    x = 0
    for b in data:
        x ^= b
    return x
