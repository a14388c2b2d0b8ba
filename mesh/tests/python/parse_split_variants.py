# event: {"s": "  a  b\tc\n d  "}
def handler(event, context):
    s = event["s"]
    return {
        "ws": s.split(),
        "space": s.split(" "),
        "max1": s.split(None, 1),
        "rmax1": s.rsplit(None, 1),
        "comma_empty": "".split(","),
        "comma": "a,,b,".split(","),
    }
