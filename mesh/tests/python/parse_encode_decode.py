# event: {"words": ["caf\u00e9", "na\u00efve", "\u65e5\u672c", "plain", "\ud83d\ude00"]}
def handler(event, context):
    out = []
    for w in event["words"]:
        b = w.encode("utf-8")
        out.append({"chars": len(w), "bytes": len(b), "hex": b.hex(), "back": b.decode("utf-8") == w})
    return out
