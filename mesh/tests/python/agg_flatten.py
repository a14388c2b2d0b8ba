# event: {"nested": [[1, 2], [3], [], [4, [5, 6]], [[7, [8]]]]}
def flatten(x, out):
    for item in x:
        if isinstance(item, list):
            flatten(item, out)
        else:
            out.append(item)
    return out

def handler(event, context):
    one_level = [y for x in event["nested"] for y in x]
    return {"deep": flatten(event["nested"], []), "one_level_len": len(one_level)}
