# event: null
def handler(event, context):
    out = []
    try:
        [].pop()
    except IndexError as e:
        out.append(str(e))
    try:
        [1, 2].index(5)
    except ValueError as e:
        out.append(str(e))
    try:
        [1].remove(0)
    except ValueError as e:
        out.append(str(e))
    try:
        [1, "a"].sort()
    except TypeError as e:
        out.append(str(e))
    return out
