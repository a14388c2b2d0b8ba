# event: {"states": [0, 0, 0, 1, 1, 0, 2, 2, 2, 2, 0]}
def handler(event, context):
    runs = []
    for s in event["states"]:
        if runs and runs[-1][0] == s:
            runs[-1][1] += 1
        else:
            runs.append([s, 1])
    expanded = []
    for value, count in runs:
        expanded.extend([value] * count)
    return {"runs": runs, "roundtrip": expanded == event["states"]}
