# event: {"names": ["living room", "KITCHEN sensor", "  garage door  ", "o'neil street"]}
def handler(event, context):
    return [{"title": n.strip().title(), "upper": n.upper(), "lower": n.lower().strip(), "words": len(n.split())} for n in event["names"]]
