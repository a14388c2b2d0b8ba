# event: {"targets": [7, 4, 13]}
def find_factor(n):
    i = 2
    while i * i <= n:
        if n % i == 0:
            break
        i += 1
    else:
        return None
    return i

def handler(event, context):
    n = 0
    while n < 3:
        n += 1
    else:
        tail = "loop finished"
    return {"factors": [find_factor(t) for t in event["targets"]], "tail": tail, "n": n}
