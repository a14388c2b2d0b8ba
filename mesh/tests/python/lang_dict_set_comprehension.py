# event: {"words": ["apple", "bob", "kayak", "level", "sensor", "apple"]}
def handler(event, context):
    w = event["words"]
    lengths = {word: len(word) for word in w}
    palins = {word for word in w if word == word[::-1]}
    by_len = {n: sorted({x for x in w if len(x) == n}) for n in sorted(set(lengths.values()))}
    inverted = {v: k for k, v in {"a": 1, "b": 2, "c": 1}.items()}
    return {"lengths": lengths, "palins": sorted(palins), "by_len": {str(k): v for k, v in by_len.items()}, "inverted": {str(k): v for k, v in inverted.items()}}
