# event: {"n": 4000000}
def handler(event, context):
    n = event["n"]
    total = 0
    i = 0
    while i < n:
        if i % 3 == 0:
            total += i
        elif i % 5 == 0:
            total -= i // 5
        else:
            total ^= i & 1023
        i += 1
    acc = 0
    for j in range(n // 2):
        acc = (acc * 31 + j) % 1000003
    return {"total": total, "acc": acc}
