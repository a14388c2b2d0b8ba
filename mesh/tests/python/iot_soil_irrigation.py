# event: {"zones": [{"name": "north", "moisture": 18, "rain_mm": 0}, {"name": "south", "moisture": 35, "rain_mm": 2}, {"name": "east", "moisture": 10, "rain_mm": 12}]}
def minutes_needed(moisture, rain):
    if rain >= 10:
        return 0
    deficit = max(0, 30 - moisture)
    return deficit * 2 - rain

def handler(event, context):
    plan = []
    for z in event["zones"]:
        m = minutes_needed(z["moisture"], z["rain_mm"])
        if m > 0:
            plan.append((z["name"], m))
    plan.sort(key=lambda p: p[1], reverse=True)
    return {"plan": plan, "total_minutes": sum(m for _, m in plan)}
