# event: {"data": [5, 1, 4, 2, 8, 7, 3, 6, 9, 0], "chunk": 4}
def stats(chunk):
    return {"n": len(chunk), "sum": sum(chunk), "min": min(chunk), "max": max(chunk), "sorted": sorted(chunk)}

def handler(event, context):
    d = event["data"]
    c = event["chunk"]
    return [stats(d[i:i + c]) for i in range(0, len(d), c)]
