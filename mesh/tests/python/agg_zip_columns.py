# event: {"rows": [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]}
def handler(event, context):
    cols = [list(c) for c in zip(*event["rows"])]
    sums = [sum(c) for c in cols]
    names = ["a", "b", "c"]
    return {"cols": cols, "sums": dict(zip(names, sums)), "short_zip": list(zip([1, 2, 3], "ab"))}
