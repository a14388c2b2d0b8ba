# event: {"messages": [{"topic": "home/kitchen/temp", "v": 21}, {"topic": "home/bath/hum", "v": 55}, {"topic": "garden/soil", "v": 30}, {"topic": "home/kitchen/hum", "v": 41}]}
def handler(event, context):
    routes = {}
    for m in event["messages"]:
        parts = m["topic"].split("/")
        zone = parts[0]
        leaf = parts[-1]
        routes.setdefault(zone, {}).setdefault(leaf, []).append(m["v"])
    return routes
