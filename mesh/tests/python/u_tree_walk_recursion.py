# event: {"site": {"name": "plant", "children": [{"name": "line-1", "children": [{"name": "m1", "power": 3.5}, {"name": "m2", "power": 1.25}]}, {"name": "line-2", "children": [{"name": "m3", "power": 7}, {"name": "sub", "children": [{"name": "m4", "power": 0.5}]}]}]}}


def total_power(node):
    if "children" not in node:
        return node.get("power", 0)
    return sum(total_power(c) for c in node["children"])


def paths(node, prefix=()):
    here = prefix + (node["name"],)
    if "children" not in node:
        yield "/".join(here), node["power"]
        return
    for child in node["children"]:
        yield from paths(child, here)


def depth(node):
    return 1 + max((depth(c) for c in node.get("children", [])), default=0)


def flatten(node, acc=None):
    acc = [] if acc is None else acc
    acc.append(node["name"])
    for c in node.get("children", []):
        flatten(c, acc)
    return acc


def handler(event, context):
    site = event["site"]
    leaves = dict(paths(site))
    top = max(leaves.items(), key=lambda kv: kv[1])
    gen = paths(site)
    first = next(gen)
    second = next(gen)
    return {
        "total": total_power(site),
        "leaves": leaves,
        "top": list(top),
        "depth": depth(site),
        "names": flatten(site),
        "first_two": [list(first), list(second)],
        "rest": len(list(gen)),
    }
