# event: {"on_at": 25, "off_at": 22, "temps": [20, 23, 25, 26, 24, 23, 22, 21, 24, 25]}
def handler(event, context):
    on = False
    history = []
    switches = 0
    for t in event["temps"]:
        prev = on
        if not on and t >= event["on_at"]:
            on = True
        elif on and t <= event["off_at"]:
            on = False
        if prev != on:
            switches += 1
        history.append(1 if on else 0)
    return {"history": history, "switches": switches}
