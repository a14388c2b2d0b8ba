# event: {"inputs": ["1.5", "-2", ".5", "5.", "1e-3", "1E+3", "inf", "-Infinity", "  3.25\n", "1_000.5", "abc", "1.2.3", "", "0x10"]}
def handler(event, context):
    out = []
    for s in event["inputs"]:
        try:
            out.append(repr(float(s)))
        except ValueError as e:
            out.append("ValueError: " + str(e))
    return out
