# event: {"csv": "device_id,ts,temp_c,note\nd1,2024-01-01T00:00:00,21.5,\"ok, stable\"\nd2,2024-01-01T00:00:00,,\"said \"\"hi\"\"\"\nd1,2024-01-01T00:05:00,22.0,\nd3,2024-01-01T00:05:00,abc,\"multi\nline\"\nd2,2024-01-01T00:10:00,19.25,late\n", "delimiter": ","}
# arena-kib: 128
import csv
import io
from collections import defaultdict
from typing import Dict, List, Optional


def to_float(text: str) -> Optional[float]:
    try:
        return float(text)
    except ValueError:
        return None


def load(text: str, delimiter: str):
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows, rejects = [], []
    for line_no, row in enumerate(reader, start=2):
        value = to_float(row["temp_c"])
        if row["temp_c"] and value is None:
            rejects.append({"line": line_no, "value": row["temp_c"], "note": row["note"]})
            continue
        row["temp_c"] = value
        rows.append(row)
    return reader.fieldnames, rows, rejects


def summarise(rows) -> Dict[str, dict]:
    per: Dict[str, List[float]] = defaultdict(list)
    for row in rows:
        if row["temp_c"] is not None:
            per[row["device_id"]].append(row["temp_c"])
    return {d: {"n": len(v), "avg": round(sum(v) / len(v), 2)} for d, v in sorted(per.items()) if v}


def render(summary) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(["device", "n", "avg"])
    for device, s in summary.items():
        writer.writerow([device, s["n"], s["avg"]])
    return buf.getvalue()


def render_dicts(rows) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["device_id", "note"], extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def handler(event, context):
    fields, rows, rejects = load(event["csv"], event["delimiter"])
    summary = summarise(rows)
    tsv = io.StringIO()
    csv.writer(tsv, delimiter="\t", lineterminator="\n").writerows([["a b", "c\td"], [1, None, 2.5]])
    parsed = list(csv.reader(["x,'y,z',w", "1,,3"], quotechar="'"))
    return {
        "fields": fields,
        "rows": len(rows),
        "missing": [r["device_id"] for r in rows if r["temp_c"] is None],
        "rejects": rejects,
        "summary": summary,
        "csv": render(summary),
        "dicts": render_dicts(rows),
        "tsv": tsv.getvalue(),
        "parsed": parsed,
    }
