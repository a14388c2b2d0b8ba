# event: {"csv": "device,ts,temp,note\nd1,1000,21.5,ok\nd2,1005,19.0,\"cold, windy\"\nd1,1010,22.0,\"said \"\"hi\"\"\"\n"}
# arena-kib: 128
import csv
import io


def handler(event, context):
    reader = csv.DictReader(io.StringIO(event["csv"]))
    rows = list(reader)
    per = {}
    for r in rows:
        per.setdefault(r["device"], []).append(float(r["temp"]))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["device", "mean", "n"])
    for dev, temps in sorted(per.items()):
        w.writerow([dev, sum(temps) / len(temps), len(temps)])
    w.writerow(["quoted, field", 'has "quote"', None])
    plain = list(csv.reader(["a,b", "'c',d"], delimiter=","))
    return {
        "fields": reader.fieldnames,
        "rows": rows,
        "report": buf.getvalue(),
        "plain": plain,
    }
