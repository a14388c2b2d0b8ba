# event: {"inventory": {"apple": 3, "banana": 0, "cherry": 12, "date": 7, "elder": 0}, "prices": {"apple": 0.5, "cherry": 3.0, "date": 1.25, "fig": 2.0}}


def handler(event, context):
    inv = event["inventory"]
    prices = event["prices"]
    in_stock = {k: v for k, v in inv.items() if v > 0}
    valued = {k: round(v * prices[k], 2) for k, v in in_stock.items() if k in prices}
    tiers = {k: ("high" if v > 10 else "mid" if v > 5 else "low") for k, v in inv.items()}
    inverted = {}
    for k, v in tiers.items():
        inverted.setdefault(v, []).append(k)
    matrix = {(i, j): i * j for i in range(3) for j in range(3) if i <= j}
    merged = {**inv, **{k: -1 for k in prices if k not in inv}}
    union = inv | {"fig": 4}
    keys_common = sorted(inv.keys() & prices.keys())
    keys_diff = sorted(inv.keys() - prices.keys())
    d = dict.fromkeys(["a", "b"], 0)
    d.update(c=3)
    d.update([("d", 4)])
    popped = d.pop("a")
    default_pop = d.pop("zz", "none")
    last = d.popitem()
    return {
        "in_stock": in_stock,
        "valued": valued,
        "tiers": tiers,
        "inverted": inverted,
        "matrix": [[k[0], k[1], v] for k, v in matrix.items()],
        "merged": merged,
        "union": union,
        "common": keys_common,
        "diff": keys_diff,
        "d": d,
        "popped": [popped, default_pop, list(last)],
        "nested": {k: {"qty": v, "even": v % 2 == 0} for k, v in sorted(inv.items(), key=lambda kv: -kv[1])[:2]},
        "set_comp": sorted({v % 5 for v in inv.values()}),
        "enumerate": {i: k for i, k in enumerate(sorted(inv), start=1)},
        "zip": dict(zip("abc", range(10))),
        "get_chain": prices.get("kiwi", inv.get("kiwi", "absent")),
    }
