# event: {"pairs": [[7, 2], [-7, 2], [7, -2], [-7, -2], [0, 5], [1, -1]]}
def handler(event, context):
    out = []
    for a, b in event["pairs"]:
        out.append([a // b, a % b, divmod(a, b), a / b])
    return out
