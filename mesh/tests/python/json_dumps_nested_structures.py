# event: null
import json

def handler(event, context):
    tree = {"level": 0, "children": []}
    node = tree
    for i in range(1, 6):
        child = {"level": i, "children": [], "tag": "n%d" % i}
        node["children"].append(child)
        node = child
    s = json.dumps(tree, sort_keys=True)
    return {"dumped": s, "depth": s.count("{"), "back_ok": json.loads(s) == tree}
