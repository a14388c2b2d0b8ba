# event: {"raw": [0, 512, 1023, 256, 768], "vref_mv": 3300, "bits": 10}
def handler(event, context):
    full = (1 << event["bits"]) - 1
    vref = event["vref_mv"]
    mv = [r * vref // full for r in event["raw"]]
    remainders = [r * vref % full for r in event["raw"]]
    return {"mv": mv, "rem": remainders, "full": full}
