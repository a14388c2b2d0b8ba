# event: null
def run(fail, order):
    try:
        order.append("try")
        if fail:
            raise ValueError("x")
    except ValueError:
        order.append("except")
    else:
        order.append("else")
    finally:
        order.append("finally")
    order.append("after")

def handler(event, context):
    a, b = [], []
    run(False, a)
    run(True, b)
    return {"ok": a, "fail": b}
