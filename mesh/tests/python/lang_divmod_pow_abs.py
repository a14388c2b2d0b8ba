# event: null
def handler(event, context):
    return {
        "divmod": [divmod(17, 5), divmod(-17, 5), divmod(17, -5), divmod(7.5, 2)],
        "pow": [pow(2, 10), pow(2, -2), pow(3, 4, 5), pow(-3, 3), pow(7, 123, 13), pow(2.0, 0.5), 0 ** 0, (-8) ** 2],
        "abs": [abs(-5), abs(3.5), abs(-0.0), abs(True)],
        "round": [round(3.7), round(-3.7), round(1.23456, 3), round(5), round(0.0)],
    }
