# event: {"values": [-5, 0, 5, null]}
def handler(event, context):
    out = []
    for v in event["values"]:
        label = "none" if v is None else "neg" if v < 0 else "zero" if v == 0 else "pos"
        out.append(label)
    x = 1
    y = (x if x > 0 else -x) * 2
    return {"labels": out, "y": y, "nested": [("a" if i % 2 else "b") + ("!" if i > 1 else "") for i in range(4)]}
