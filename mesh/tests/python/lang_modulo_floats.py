# event: {"pairs": [[7.5, 2], [-7.5, 2], [7.5, -2], [-7.5, -2.0], [5, 0.5], [-1, 3.0]]}
def handler(event, context):
    return [[a // b, a % b] for a, b in event["pairs"]]
