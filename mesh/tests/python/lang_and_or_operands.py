# event: null
def handler(event, context):
    return [
        0 or "default",
        "" or [] or None,
        "x" and "y",
        0 and 1 / 0,
        [] and 5,
        1 or 1 / 0,
        None or 0,
        not [],
        not "a",
        (3 and 0) or "fallback",
        [1] and [2] or [3],
    ]
