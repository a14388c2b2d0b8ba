# event: {"sensors": {"t1": [20, 20, 20, 20], "t2": [19, 21, 20, 22], "t3": [], "t4": [0, 0, 150, 0]}}
def health(values):
    if not values:
        return "silent"
    if len(set(values)) == 1:
        return "stuck"
    if max(values) - min(values) > 100:
        return "erratic"
    return "ok"

def handler(event, context):
    report = {name: health(vals) for name, vals in event["sensors"].items()}
    summary = {}
    for state in report.values():
        summary[state] = summary.get(state, 0) + 1
    return {"report": report, "summary": dict(sorted(summary.items()))}
