# event: {"pairs": [["a", 1], ["b", 2, 3]]}


def handler(event, context):
    out = []
    for bad in (event["pairs"], [5], ["xy"]):
        try:
            out.append(dict(bad))
        except (TypeError, ValueError) as e:
            out.append([type(e).__name__, str(e)])
    return out
