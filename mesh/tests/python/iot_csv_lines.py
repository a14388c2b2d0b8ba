# event: {"body": "ts,sensor,value\n1,a,1.5\n2,b,2.25\n3,a,3.0\n4,c,-0.5\n"}
def handler(event, context):
    lines = event["body"].strip().split("\n")
    header = lines[0].split(",")
    rows = []
    for line in lines[1:]:
        parts = line.split(",")
        row = dict(zip(header, parts))
        row["ts"] = int(row["ts"])
        row["value"] = float(row["value"])
        rows.append(row)
    return {"columns": header, "rows": rows}
