# event: {"s": "h\u00e9llo w\u00f6rld \u65e5\u672c\u8a9e \ud83d\ude80!"}
def handler(event, context):
    s = event["s"]
    return {
        "len": len(s), "rev": s[::-1], "slice": s[1:5], "last2": s[-2:], "upper": s.upper(),
        "find": s.find("\u65e5"), "split": s.split(" "), "bytes": len(s.encode("utf-8")), "count": s.count("l"),
        "startswith": s.startswith("h\u00e9"), "index_emoji": s.index("\U0001F680"), "chars": [c for c in s[-3:]],
    }
