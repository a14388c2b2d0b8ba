# event: {"n": 3}
def handler(event, context):
    for i in range(event["n"]):
        print("line", i, sep="=", end=";\n")
    print()
    print("multiple", "args", 1, 2.5, None, [1])
    return {"printed": event["n"]}
