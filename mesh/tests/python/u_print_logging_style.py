# event: {"records": [{"id": 1, "ok": true}, {"id": 2, "ok": false}]}
import json
import sys


def log(level, msg, **fields):
    print(json.dumps({"level": level, "msg": msg, **fields}), flush=True)


def handler(event, context):
    print("START", context.aws_request_id, sep=" | ", end="\n")
    print("records:", len(event["records"]), file=sys.stderr)
    failed = 0
    for rec in event["records"]:
        if not rec["ok"]:
            failed += 1
            log("ERROR", "record failed", id=rec["id"])
        else:
            log("INFO", "record ok", id=rec["id"])
    print(*[r["id"] for r in event["records"]], sep=",")
    sys.stdout.write("done\n")
    return {"failed": failed, "total": len(event["records"]), "request": context.aws_request_id}
