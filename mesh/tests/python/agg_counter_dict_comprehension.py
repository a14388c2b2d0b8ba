# event: {"letters": "mississippi"}
def handler(event, context):
    s = event["letters"]
    counts = {ch: s.count(ch) for ch in sorted(set(s))}
    inverted = {}
    for ch, n in counts.items():
        inverted.setdefault(n, []).append(ch)
    return {"counts": counts, "inverted": {str(k): v for k, v in sorted(inverted.items())}}
