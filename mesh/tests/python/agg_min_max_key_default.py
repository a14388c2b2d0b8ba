# event: {"devices": [{"id": "a", "rssi": -70}, {"id": "b", "rssi": -45}, {"id": "c", "rssi": -90}], "empty": []}
def handler(event, context):
    d = event["devices"]
    best = max(d, key=lambda x: x["rssi"])
    worst = min(d, key=lambda x: x["rssi"])
    none_best = max(event["empty"], key=lambda x: x["rssi"], default=None)
    return {"best": best["id"], "worst": worst["id"], "none": none_best,
            "min_default": min([], default=0), "max_args": max(3, 9, 4), "min_str": min("zebra", "apple", "mango")}
