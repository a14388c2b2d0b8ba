# event: {"people": [["ann", 31, 5.5], ["bob", 25, 6.1], ["cid", 31, 5.9], ["dee", 25, 5.2], ["eve", 40, 5.5]]}
def handler(event, context):
    p = event["people"]
    by_age_then_name = sorted(p, key=lambda r: (r[1], r[0]))
    by_age_desc_height = sorted(p, key=lambda r: (-r[1], r[2]))
    names_rev = sorted((r[0] for r in p), reverse=True)
    return {"a": [r[0] for r in by_age_then_name], "b": [r[0] for r in by_age_desc_height], "c": names_rev}
