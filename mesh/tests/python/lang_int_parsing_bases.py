# event: {"inputs": [["ff", 16], ["0xff", 16], ["-101", 2], ["777", 8], ["z", 36], ["  12  ", 10], ["1_0", 10], ["0b11", 0], ["0o17", 0], ["012", 0], ["12", 3], ["+5", 10]]}
def handler(event, context):
    out = []
    for s, base in event["inputs"]:
        try:
            out.append(int(s, base))
        except ValueError as e:
            out.append("ValueError: " + str(e))
    return out
