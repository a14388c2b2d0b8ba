# event: {"depth": 100000}
# arena-kib: 1024
def down(n):
    if n == 0:
        return 0
    return down(n - 1) + 1

def handler(event, context):
    try:
        down(event["depth"])
    except RecursionError:
        caught = True
    return {"caught": caught, "after": down(50)}
