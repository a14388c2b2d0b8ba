# event: null
def handler(event, context):
    flags = [True, False, True, True]
    return {
        "sum": sum(flags), "add": True + True, "mul": True * 10, "idx": ["a", "b"][True], "eq": [True == 1, False == 0, True == 1 == 1.0],
        "str": [str(True), repr(False)], "int": int(True), "neg": -True, "div": True / 2, "cmp": False < True, "max": max(False, True),
    }
