# event: {"csv": "device,temp,ok\nd1,21.5,true\nd2,\"19,5\",false\nd3,22,true\n"}
# arena-kib: 256
import csv
import io


def handler(event, context):
    reader = csv.DictReader(io.StringIO(event["csv"]))
    rows = list(reader)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["device", "temp_f"])
    for r in rows:
        t = float(r["temp"].replace(",", "."))
        w.writerow([r["device"], round(t * 9 / 5 + 32, 1)])
    dw_buf = io.StringIO()
    dw = csv.DictWriter(dw_buf, fieldnames=["a", "b"], lineterminator="\n")
    dw.writeheader()
    dw.writerows([{"a": 1, "b": "x,y"}, {"a": 2, "b": 'q"t'}])
    buf = io.StringIO()
    print("hello", 42, sep="|", end="!\n", file=buf)
    buf.write("more")
    return {
        "fields": reader.fieldnames,
        "rows": rows,
        "out": out.getvalue(),
        "dw": dw_buf.getvalue(),
        "printed": buf.getvalue(),
        "lines": list(csv.reader(["a;b;c", "1;2;3"], delimiter=";")),
        "bio": io.BytesIO(b"abc").read(2).decode(),
    }
