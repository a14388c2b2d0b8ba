# event: {"keys": ["incoming/2026/11/27/dev-1.csv", "incoming/2026/11/27/dev-2.json", "incoming/tmp/.part-0001", "archive/2025/old.csv.gz", "incoming/2026/11/28/DEV-3.CSV", "README.md"], "include": ["incoming/*/*.csv", "incoming/*/*/*/*.csv", "*.json", "archive/20[0-9][0-9]/*.gz"], "exclude": ["*/.*", "*tmp*"]}
# arena-kib: 64
import fnmatch
import html
import os.path


def wanted(key, include, exclude):
    if any(fnmatch.fnmatch(key, p) for p in exclude):
        return False
    return any(fnmatch.fnmatchcase(key, p) for p in include)


def handler(event, context):
    keys = event["keys"]
    picked = [k for k in keys if wanted(k, event["include"], event["exclude"])]
    rows = "".join(
        f"<tr><td>{html.escape(os.path.basename(k))}</td><td>{html.escape(os.path.dirname(k))}</td></tr>"
        for k in picked
    )
    return {
        "picked": picked,
        "csv_only": fnmatch.filter(keys, "*.csv"),
        "by_ext": sorted({os.path.splitext(k)[1].lower() for k in keys}),
        "html": "<table>" + rows + "</table>",
        "escaped": html.escape("<b>\"Tom & Jerry's\"</b>"),
    }
