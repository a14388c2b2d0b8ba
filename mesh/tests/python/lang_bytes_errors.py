# event: null
def handler(event, context):
    out = []
    for s in ("zz", "abc", "0g"):
        try:
            bytes.fromhex(s)
            out.append("ok")
        except ValueError:
            out.append("ValueError")
    try:
        b"\xff\xfe".decode()
    except ValueError:
        out.append("decode error is a ValueError")
    try:
        bytes([256])
    except ValueError as e:
        out.append(str(e))
    return out
