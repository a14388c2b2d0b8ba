# event: null
TOTAL = 0
CALLS = []

def add(x):
    global TOTAL
    TOTAL += x
    CALLS.append(x)
    return TOTAL

def handler(event, context):
    global TOTAL
    TOTAL = 0
    del CALLS[:]
    for i in range(1, 5):
        add(i)
    return {"total": TOTAL, "calls": CALLS}
