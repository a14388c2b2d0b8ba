# event: {"base": 3}
def handler(event, context):
    base = event["base"]

    def power(exp):
        def inner(x):
            return x ** exp + base
        return inner

    def apply_all(fns, x):
        return [f(x) for f in fns]

    square, cube = power(2), power(3)
    return {"applied": apply_all([square, cube], 2), "cube3": cube(3)}
