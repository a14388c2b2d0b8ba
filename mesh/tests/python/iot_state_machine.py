# event: {"inputs": ["start", "heat", "heat", "idle", "fault", "reset", "start"]}
TRANSITIONS = {
    ("off", "start"): "idle",
    ("idle", "heat"): "heating",
    ("heating", "heat"): "heating",
    ("heating", "idle"): "idle",
    ("fault", "reset"): "off",
}

def handler(event, context):
    state = "off"
    trace = [state]
    for inp in event["inputs"]:
        if inp == "fault":
            state = "fault"
        else:
            state = TRANSITIONS.get((state, inp), state)
        trace.append(state)
    return {"final": state, "trace": trace}
