# event: {"depth": 100000}
# expect: RecursionError
# arena-kib: 1024
def down(n):
    if n == 0:
        return 0
    return down(n - 1) + 1

def handler(event, context):
    return down(event["depth"])
