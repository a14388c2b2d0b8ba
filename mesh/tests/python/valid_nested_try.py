# event: {}
def handler(event, context):
    order = []
    try:
        try:
            order.append("inner-try")
            raise KeyError("k")
        except ValueError:
            order.append("inner-value")
        finally:
            order.append("inner-finally")
    except KeyError as e:
        order.append("outer-key:" + str(e))
    try:
        try:
            raise ValueError("v")
        except ValueError:
            order.append("caught-v")
            raise TypeError("t")
    except TypeError as e:
        order.append("outer-type:" + str(e))
    return order
