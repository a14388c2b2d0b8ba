# event: {"quantities": ["10kg", "2.5 m", "300ms", "12", "1.5e3W", "-4C"]}
def split_unit(q):
    q = q.replace(" ", "")
    i = len(q)
    while i > 0 and q[i - 1].isalpha():
        i -= 1
    return q[:i], q[i:]

def handler(event, context):
    out = []
    for q in event["quantities"]:
        num, unit = split_unit(q)
        out.append({"value": float(num), "unit": unit or None})
    return out
