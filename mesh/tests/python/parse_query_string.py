# event: {"qs": "a=1&b=two&a=3&empty=&flag"}
def handler(event, context):
    params = {}
    for pair in event["qs"].split("&"):
        if "=" in pair:
            k, v = pair.split("=", 1)
        else:
            k, v = pair, None
        params.setdefault(k, []).append(v)
    return params
