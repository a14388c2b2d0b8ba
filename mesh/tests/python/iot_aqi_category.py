# event: {"pm25": [4.0, 12.0, 35.4, 55.5, 150.4, 250.5, 500.0]}
BANDS = [(12.0, "good"), (35.4, "moderate"), (55.4, "unhealthy_sensitive"), (150.4, "unhealthy"), (250.4, "very_unhealthy")]

def category(v):
    for limit, name in BANDS:
        if v <= limit:
            return name
    return "hazardous"

def handler(event, context):
    cats = [category(v) for v in event["pm25"]]
    worst = max(event["pm25"])
    return {"categories": cats, "worst": category(worst)}
