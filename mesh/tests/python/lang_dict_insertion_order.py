# event: {"z": 1, "a": 2, "m": 3}
def handler(event, context):
    d = {}
    d["z"] = 1
    d["a"] = 2
    d["m"] = 3
    d["a"] = 20
    del d["z"]
    d["z"] = 100
    keys_from_event = list(event)
    rebuilt = dict(sorted(d.items()))
    return {"order": list(d), "event_order": keys_from_event, "sorted": list(rebuilt), "eq_ignores_order": {"a": 1, "b": 2} == {"b": 2, "a": 1}}
