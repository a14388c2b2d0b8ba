# event: {"records": [["b", 2], ["a", 2], ["c", 1], ["d", 3], ["e", 1]]}
def handler(event, context):
    r = event["records"]
    by_num = sorted(r, key=lambda x: x[1])
    by_num_rev = sorted(r, key=lambda x: x[1], reverse=True)
    two_pass = sorted(sorted(r, key=lambda x: x[0], reverse=True), key=lambda x: x[1])
    strs = sorted(["banana", "Apple", "cherry", "apple"])
    by_lower = sorted(["banana", "Apple", "cherry", "apple"], key=str.lower)
    return {"by_num": by_num, "rev": by_num_rev, "two_pass": two_pass, "strs": strs, "by_lower": by_lower, "mixed_num": sorted([3, 1.5, -2, True, 0.0])}
