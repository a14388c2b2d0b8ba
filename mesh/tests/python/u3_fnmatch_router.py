# event: {"keys": ["uploads/2024/img_001.jpg", "uploads/2024/doc.PDF", "logs/app.log", "logs/app.log.1", "tmp/x.tmp", "README"]}
# arena-kib: 64
import fnmatch

RULES = [
    ("uploads/*.jpg", "image"),
    ("uploads/*.[pP][dD][fF]", "document"),
    ("logs/*.log", "log"),
    ("logs/*.log.[0-9]", "rotated"),
    ("*.tmp", "temp"),
    ("[!a-z]*", "upper"),
]


def classify(key):
    for pattern, kind in RULES:
        if fnmatch.fnmatchcase(key, pattern):
            return kind
    return "other"


def handler(event, context):
    keys = event["keys"]
    return {
        "classes": {k: classify(k) for k in keys},
        "filter": fnmatch.filter(keys, "logs/*"),
        "filter_q": fnmatch.filter(keys, "logs/app.log.?"),
        "translate_ok": fnmatch.translate("*.txt").startswith("(?s:"),
        "case": [fnmatch.fnmatchcase("A.TXT", "*.txt"), fnmatch.fnmatch("a.txt", "*.txt")],
        "brackets": [fnmatch.fnmatchcase("a[1]", "a[[]1]"), fnmatch.fnmatchcase("file5", "file[!0-4]")],
    }
