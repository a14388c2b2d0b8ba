# event: {"rows": 10000, "rounds": 24}
# arena-kib: 4096
def ingest(nrows, shift):
    lines = ["ts,device,temp,hum"]
    for i in range(nrows):
        lines.append("%d,dev-%d,%.1f,%d" % (1700000000 + i * 60, (i + shift) % 13, 15 + (i % 200) / 10, 30 + i % 50))
    body = "\n".join(lines)
    rows = body.split("\n")
    header = rows[0].split(",")
    per_device = {}
    for row in rows[1:]:
        rec = dict(zip(header, row.split(",")))
        d = per_device.setdefault(rec["device"], {"n": 0, "temp": 0.0, "max_hum": 0})
        d["n"] += 1
        d["temp"] += float(rec["temp"])
        d["max_hum"] = max(d["max_hum"], int(rec["hum"]))
    return {k: {"n": v["n"], "avg": round(v["temp"] / v["n"], 3), "max_hum": v["max_hum"]} for k, v in sorted(per_device.items())}

def handler(event, context):
    result = None
    for r in range(event["rounds"]):
        result = ingest(event["rows"], r)
    return {"devices": len(result), "dev-0": result["dev-0"]}
