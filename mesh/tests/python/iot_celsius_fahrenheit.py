# event: {"celsius": [-40, 0, 37, 100, 21.5]}
def c_to_f(c):
    return c * 9 / 5 + 32

def handler(event, context):
    out = []
    for c in event["celsius"]:
        f = c_to_f(c)
        out.append({"c": c, "f": round(f, 1), "k": round(c + 273.15, 2)})
    return out
