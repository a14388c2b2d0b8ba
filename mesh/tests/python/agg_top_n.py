# event: {"n": 3, "scores": {"s1": 88, "s2": 95, "s3": 70, "s4": 95, "s5": 60, "s6": 91}}
def handler(event, context):
    s = event["scores"]
    ranked = sorted(s, key=lambda k: s[k], reverse=True)
    return {"top": ranked[:event["n"]], "bottom": min(s, key=s.get), "best_score": max(s.values())}
