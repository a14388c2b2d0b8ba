# event: {"key": "b"}
TABLE = {name: i for i, name in enumerate("abcde")}
SQUARES = [i * i for i in range(6)]
LOADS = []

def register(x):
    LOADS.append(x)
    return x

FIRST = register("first")
if len(SQUARES) > 3:
    BIG = True
else:
    BIG = False

def handler(event, context):
    return {"index": TABLE[event["key"]], "squares": SQUARES, "loads": LOADS, "big": BIG, "first": FIRST}
