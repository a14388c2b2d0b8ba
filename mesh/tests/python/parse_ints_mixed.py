# event: {"tokens": ["12", "-7", "0x1f", "0b101", "0o17", " 42 ", "3.5", "abc", "1_000"]}
def parse(tok):
    tok = tok.strip()
    for prefix, base in (("0x", 16), ("0b", 2), ("0o", 8)):
        if tok.startswith(prefix):
            return int(tok[2:], base)
    return int(tok)

def handler(event, context):
    out = []
    for t in event["tokens"]:
        try:
            out.append(parse(t))
        except ValueError:
            out.append(None)
    return out
