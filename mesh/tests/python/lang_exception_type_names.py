# event: null
def attempt(fn):
    try:
        fn()
        return "no error"
    except Exception as e:
        return [type(e).__name__, str(e)]

def handler(event, context):
    return [
        attempt(lambda: 1 / 0),
        attempt(lambda: [][0]),
        attempt(lambda: {}["k"]),
        attempt(lambda: int("1.5")),
        attempt(lambda: "a" + 1),
        attempt(lambda: None.x),
        attempt(lambda: undefined_name),
        attempt(lambda: [1].remove(2)),
        attempt(lambda: (1, 2).index(3)),
        attempt(lambda: 1 % 0),
        attempt(lambda: 5 // 0.0),
        attempt(lambda: "abc".index("z")),
    ]
