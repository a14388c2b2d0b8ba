# event: null
def handler(event, context):
    values = [0.1 + 0.2, 1e16, 1e15, 1e-5, 0.0001, 1 / 3, 2 / 3, 1e22, 1e-7, 123456789012345678.0, 0.5, 100.0, 1.5e300, -2.5e-300, 3.14159, 2.0 ** 0.5]
    return {"repr": [repr(v) for v in values], "str": [str(v) for v in values[:4]], "fmt": "%s|%r" % (0.1, 0.3)}
