# event: {"scores": [["t3", 40], ["t1", 90], ["t2", 90], ["t4", 10]]}
def handler(event, context):
    ranked = sorted(event["scores"], key=lambda s: -s[1])
    out = []
    prev = None
    rank = 0
    for i, (name, score) in enumerate(ranked, start=1):
        if score != prev:
            rank = i
            prev = score
        out.append({"rank": rank, "name": name, "score": score})
    return out
