# event: {"text": "Az09 \u00e9\u20ac"}
def handler(event, context):
    t = event["text"]
    codes = [ord(c) for c in t]
    return {"codes": codes, "back": "".join(chr(c) for c in codes) == t, "shift": "".join(chr(ord(c) + 1) for c in "HAL"), "chr_big": chr(128512), "len": len(chr(128512))}
