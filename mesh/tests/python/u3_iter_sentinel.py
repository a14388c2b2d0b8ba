# event: {"chunks": ["ab", "cd", "", "ef"], "lines": "h1\nh2\n\nbody\n"}
# arena-kib: 64
import functools
import io


class Source:
    def __init__(self, chunks):
        self.chunks = list(chunks)

    def read(self):
        return self.chunks.pop(0) if self.chunks else ""


def handler(event, context):
    src = Source(event["chunks"])
    got = list(iter(src.read, ""))
    stream = io.StringIO(event["lines"])
    headers = list(iter(stream.readline, "\n"))
    body = stream.read()
    counter = iter([1, 2, 3])
    nums = [next(counter), next(counter, None), next(counter, None), next(counter, None), next(counter, "end")]
    bio = io.BytesIO(b"0123456789")
    blocks = list(iter(functools.partial(bio.read, 4), b""))
    it = iter(range(10))
    skipped = [next(it) for _ in range(3)]
    try:
        next(iter([]))
        stop = "no"
    except StopIteration:
        stop = "StopIteration"
    gen = (x * 2 for x in range(3))
    return {
        "got": got,
        "headers": [h.strip() for h in headers],
        "body": body,
        "nums": nums,
        "blocks": [b.decode() for b in blocks],
        "skipped": skipped,
        "remaining": list(it),
        "stop": stop,
        "gen": [next(gen), next(gen), next(gen), next(gen, -1)],
        "dict_iter": next(iter({"k": 1})),
        "str_iter": list(iter("hey")),
    }
