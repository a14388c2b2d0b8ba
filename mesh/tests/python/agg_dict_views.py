# event: {"inventory": {"bolts": 40, "nuts": 0, "washers": 12, "screws": 7}}
def handler(event, context):
    inv = event["inventory"]
    in_stock = [k for k, v in inv.items() if v]
    total = sum(inv.values())
    keys = list(inv.keys())
    del inv["nuts"]
    return {"in_stock": in_stock, "total": total, "keys": keys, "after_del": list(inv), "has_bolts": "bolts" in inv, "has_nuts": "nuts" in inv, "len": len(inv)}
