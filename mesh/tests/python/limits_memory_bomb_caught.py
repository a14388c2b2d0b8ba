# event: null
def handler(event, context):
    x = [0]
    doublings = 0
    try:
        while True:
            x = x + x
            doublings += 1
    except MemoryError:
        x = None
        return {"caught": True, "survived": len([1, 2, 3])}
