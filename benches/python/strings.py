# event: {"n": 20000, "rounds": 40}
# arena-kib: 8192
def build(n):
    parts = []
    for i in range(n):
        parts.append("id-%d:%s" % (i, str(i * 7)[::-1]))
    joined = ",".join(parts)
    fields = joined.split(",")
    upper = 0
    for f in fields:
        if f.endswith("1"):
            upper += len(f.upper())
    s = ""
    for i in range(n // 4):
        s += f"{i:05d};"
    return len(joined) + len(fields) + upper + len(s) + joined.count("id-1")

def handler(event, context):
    total = 0
    for r in range(event["rounds"]):
        total += build(event["n"] + r)
    return {"total": total}
