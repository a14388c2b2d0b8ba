# event: {"transitions": ["start", "pause", "resume", "stop", "start", "explode"]}


class InvalidTransition(Exception):
    def __init__(self, state, action):
        self.state = state
        self.action = action
        super().__init__(f"cannot {action} while {state}")


class Machine:
    TABLE = {
        ("idle", "start"): "running",
        ("running", "pause"): "paused",
        ("paused", "resume"): "running",
        ("running", "stop"): "idle",
        ("paused", "stop"): "idle",
    }

    def __init__(self):
        self.state = "idle"
        self.history = []

    def fire(self, action):
        key = (self.state, action)
        if key not in self.TABLE:
            raise InvalidTransition(self.state, action)
        self.history.append(key)
        self.state = self.TABLE[key]
        return self

    def __len__(self):
        return len(self.history)

    def __iter__(self):
        return iter(self.history)

    def __repr__(self):
        return "Machine(state=%r, steps=%d)" % (self.state, len(self))


def handler(event, context):
    m = Machine()
    errors = []
    for t in event["transitions"]:
        try:
            m.fire(t)
        except InvalidTransition as e:
            errors.append({"state": e.state, "action": e.action, "msg": str(e), "args": list(e.args)})
    return {
        "final": m.state,
        "steps": len(m),
        "history": ["%s->%s" % h for h in m],
        "repr": repr(m),
        "errors": errors,
        "states": sorted(set(Machine.TABLE.values())),
    }
