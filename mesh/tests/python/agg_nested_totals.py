# event: {"sites": {"north": {"pumps": [3, 4], "fans": [1]}, "south": {"pumps": [7], "fans": [2, 2, 2]}, "west": {}}}
def handler(event, context):
    totals = {}
    by_kind = {}
    for site, kinds in event["sites"].items():
        totals[site] = 0
        for kind, vals in kinds.items():
            totals[site] += sum(vals)
            by_kind[kind] = by_kind.get(kind, 0) + sum(vals)
    return {"site": totals, "kind": by_kind, "grand": sum(totals.values())}
