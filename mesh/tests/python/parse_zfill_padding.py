# event: {"ids": [7, 42, 123, 5000], "codes": ["-5", "+3", "abc"]}
def handler(event, context):
    return {
        "ids": [str(i).zfill(5) for i in event["ids"]],
        "codes": [c.zfill(4) for c in event["codes"]],
        "ljust": [("x" + str(i))[:4] for i in event["ids"]],
    }
