# event: {"jobs": [["parse", "12"], ["parse", "x"], ["div", 0], ["key", "zz"], ["div", 4]]}
# arena-kib: 64
trail = []


class Ignore:
    def __init__(self, *types):
        self.types = types
        self.caught = None

    def __enter__(self):
        trail.append("enter")
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        trail.append(f"exit {exc_type.__name__ if exc_type else None}")
        if exc_type is not None and issubclass(exc_type, self.types):
            self.caught = f"{exc_type.__name__}: {exc_value}"
            return True
        return None


class Timer:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        trail.append(f"start {self.name}")
        return self

    def __exit__(self, *exc):
        trail.append(f"stop {self.name} {exc[0] is not None}")


def run(job):
    kind, arg = job
    if kind == "parse":
        return int(arg)
    if kind == "div":
        return 100 // arg
    return {"a": 1}[arg]


def handler(event, context):
    results = []
    for job in event["jobs"]:
        with Ignore(ValueError, ZeroDivisionError) as guard:
            with Timer(job[0]):
                results.append(run(job)) if job[0] != "key" else None
                if job[0] == "key":
                    try:
                        run(job)
                    except KeyError as e:
                        results.append(f"key missing {e}")
        results.append(guard.caught)
    try:
        with Ignore(KeyError):
            raise TypeError("not suppressed")
    except TypeError as e:
        results.append(f"propagated {e}")
    return {"results": results, "trail": trail}
