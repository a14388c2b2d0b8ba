# event: {"files": ["a.json", "missing.json", "b.json"], "data": {"a.json": "{\"v\": 1}", "b.json": "{\"v\": 2}"}}
# arena-kib: 128
import json
from contextlib import ExitStack, closing, suppress
import io

events = []


class Resource:
    def __init__(self, name, store):
        if name not in store:
            raise FileNotFoundError(name)
        self.name = name
        self.text = store[name]
        events.append(f"open {name}")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        events.append(f"close {self.name}")
        return False

    def close(self):
        events.append(f"closed {self.name}")


def handler(event, context):
    store = event["data"]
    values = []
    for name in event["files"]:
        with suppress(FileNotFoundError):
            with Resource(name, store) as r:
                values.append(json.loads(r.text)["v"])
    with suppress(KeyError, IndexError):
        [][0]
    with ExitStack() as stack:
        rs = [stack.enter_context(Resource(n, store)) for n in ("a.json", "b.json")]
        stack.callback(events.append, "callback ran")
        names = [r.name for r in rs]
    with ExitStack() as stack:
        stack.enter_context(Resource("a.json", store))
        moved = stack.pop_all()
    events.append("after pop_all")
    moved.close()
    with closing(Resource("b.json", store)):
        events.append("using closing")
    buf = io.StringIO()
    print("captured", 1, sep="-", file=buf)
    try:
        with ExitStack() as stack:
            stack.callback(events.append, "cleanup on error")
            raise RuntimeError("boom")
    except RuntimeError as e:
        events.append(f"caught {e}")
    return {"values": values, "names": names, "events": events, "captured": buf.getvalue()}
