# event: {"rows": [[1, 3, 5], [2, 4, 7], []]}
def first_even(row):
    for i, v in enumerate(row):
        if v % 2 == 0:
            result = i
            break
    else:
        result = -1
    return result

def handler(event, context):
    out = [first_even(r) for r in event["rows"]]
    for x in range(3):
        continue
    else:
        out.append("else-after-continue:%d" % x)
    return out
