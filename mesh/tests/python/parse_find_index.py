# event: {"text": "temp=21;hum=40;temp=22;press=1013"}
def handler(event, context):
    s = event["text"]
    first = s.find("temp")
    last = s.rfind("temp")
    missing = s.find("wind")
    try:
        idx = s.index("wind")
    except ValueError as e:
        idx = str(e)
    return {"first": first, "last": last, "missing": missing, "index_err": idx, "count": s.count("="), "press_at": s.index("press")}
