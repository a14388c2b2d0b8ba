# event: null
def handler(event, context):
    halves = [round(x) for x in (0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5)]
    digits = [round(2.675, 2), round(1.005, 2), round(0.125, 2), round(0.375, 2), round(3.14159, 3)]
    ints = [round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2), round(7, 0)]
    return {"halves": halves, "digits": digits, "ints": ints, "floatneg": round(1234.5, -1), "types": [type(round(2.5)).__name__, type(round(2.5, 0)).__name__]}
