# event: {"text": "the quick brown fox jumps over the lazy dog the fox"}
def handler(event, context):
    counts = {}
    for w in event["text"].split():
        counts[w] = counts.get(w, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return {"distinct": len(counts), "top": top, "alpha_first": sorted(counts)[0]}
