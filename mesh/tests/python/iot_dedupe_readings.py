# event: {"readings": [{"id": 1, "v": 5}, {"id": 2, "v": 6}, {"id": 1, "v": 5}, {"id": 3, "v": 7}, {"id": 2, "v": 9}]}
def handler(event, context):
    seen = set()
    unique = []
    dupes = 0
    for r in event["readings"]:
        if r["id"] in seen:
            dupes += 1
            continue
        seen.add(r["id"])
        unique.append(r)
    return {"unique": unique, "duplicates": dupes}
