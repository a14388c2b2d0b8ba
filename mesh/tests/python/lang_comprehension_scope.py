# event: null
def handler(event, context):
    x = "outer"
    squares = [x * x for x in range(5)]
    fns = [lambda i=i: i * 10 for i in range(3)]
    late = [lambda: i for i in range(3)]
    return {"x_after": x, "squares": squares, "bound": [f() for f in fns], "late": [f() for f in late]}
