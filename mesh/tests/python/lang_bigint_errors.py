# event: null
import json


def attempt(f):
    try:
        return ["ok", f()]
    except Exception as e:
        return [type(e).__name__, str(e)]


def handler(event, context):
    big = 2 ** 70
    return [
        attempt(lambda: str(10 ** 5000)),
        attempt(lambda: len(repr(10 ** 4000))),
        attempt(lambda: int("1" * 5000)),
        attempt(lambda: len(hex(10 ** 5000))),
        attempt(lambda: f"{10 ** 5000}"),
        attempt(lambda: float(10 ** 400)),
        attempt(lambda: 10 ** 400 / 3),
        attempt(lambda: 10 ** 400 + 1.5),
        attempt(lambda: 10 ** 400 < 1e308),
        attempt(lambda: big // 0),
        attempt(lambda: big % 0),
        attempt(lambda: big / 0),
        attempt(lambda: divmod(big, 0)),
        attempt(lambda: [1, 2][big]),
        attempt(lambda: "ab" * big),
        attempt(lambda: big * [1]),
        attempt(lambda: big << -1),
        attempt(lambda: (-big).to_bytes(10, "big")),
        attempt(lambda: big.to_bytes(8, "big")),
        attempt(lambda: pow(big, 3, 0)),
        attempt(lambda: pow(2 ** 64, -1, 2 ** 70)),
        attempt(lambda: (0 * big) ** -1),
        attempt(lambda: big ** -2),
        attempt(lambda: int("12x" + "3" * 30)),
        attempt(lambda: json.dumps(10 ** 5000)),
        attempt(lambda: big + "x"),
        attempt(lambda: big < "x"),
        attempt(lambda: f"{big:c}"),
        attempt(lambda: f"{big:.3d}"),
        attempt(lambda: int(float("inf"))),
        attempt(lambda: int(float("nan"))),
        attempt(lambda: (1, 2)[-big]),
        attempt(lambda: "abc"[big]),
        attempt(lambda: [1, 2, 3][big:]),
        attempt(lambda: [1, 2, 3][-big:2]),
        attempt(lambda: chr(big)),
        attempt(lambda: "a,b".split(",", big)),
        attempt(lambda: range(5)[big]),
        attempt(lambda: bytes(big)),
        attempt(lambda: [0] * -big),
        attempt(lambda: list(range(3))[big:-big:-1]),
        attempt(lambda: "abc"[::big]),
    ]
