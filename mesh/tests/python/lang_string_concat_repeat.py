# event: {"parts": ["ab", "cd", "ef"]}
def handler(event, context):
    s = ""
    for p in event["parts"]:
        s += p
    line = "-" * 10
    joined = " | ".join(event["parts"])
    return {"s": s, "line": line, "joined": joined, "lens": [len(s), len(line)], "cmp": ["abc" < "abd", "Z" < "a", "" < "a", "ab" < "a"], "mul_list": [0] * 3 + [1] * 2}
