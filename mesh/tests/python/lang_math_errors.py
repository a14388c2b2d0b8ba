# event: {"inputs": [-1, 0, 4]}
import math

def handler(event, context):
    out = []
    for x in event["inputs"]:
        try:
            out.append(math.sqrt(x))
        except ValueError as e:
            out.append("sqrt:" + str(e))
        try:
            out.append(round(math.log(x), 6))
        except ValueError as e:
            out.append("log:" + str(e))
    return out
