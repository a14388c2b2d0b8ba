# event: {"items": [["x", 2], ["y", 1], ["z", 2], ["w", 1], ["v", 3], ["u", 2]]}
def handler(event, context):
    items = event["items"]
    stable = sorted(items, key=lambda it: it[1])
    stable_rev = sorted(items, key=lambda it: it[1], reverse=True)
    copy = list(items)
    copy.sort(key=lambda it: it[1])
    return {"asc": [i[0] for i in stable], "desc": [i[0] for i in stable_rev], "inplace_same": copy == stable}
