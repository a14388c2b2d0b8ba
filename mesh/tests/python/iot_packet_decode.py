# event: {"hex": "01a0000f27100041"}
def handler(event, context):
    raw = bytes.fromhex(event["hex"])
    version = raw[0]
    temp_raw = (raw[1] << 8) | raw[2]
    if temp_raw >= 0x8000:
        temp_raw -= 0x10000
    count = (raw[3] << 8) | raw[4]
    return {"version": version, "temp": temp_raw / 10, "count": count, "tail": raw[5:].hex(), "len": len(raw)}
