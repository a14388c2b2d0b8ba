# event: {"values": [1, 2.5, "x", null, true]}
def handler(event, context):
    v = event["values"]
    try:
        ",".join(v)
        err = None
    except TypeError as e:
        err = str(e)
    return {"joined": ",".join(str(x) for x in v), "repr_joined": ";".join(map(repr, v)), "err": err, "chars": "-".join("abc")}
