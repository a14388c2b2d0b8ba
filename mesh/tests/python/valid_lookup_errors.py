# event: {"keys": ["a", "z", "b"], "indexes": [0, 5, -1, -9]}
def handler(event, context):
    data = {"a": 1, "b": 2}
    arr = [10, 20, 30]
    out = []
    for k in event["keys"]:
        try:
            out.append(data[k])
        except KeyError as e:
            out.append(["KeyError", type(e).__name__, str(e)])
    for i in event["indexes"]:
        try:
            out.append(arr[i])
        except IndexError as e:
            out.append(["IndexError", str(e)])
    return out
