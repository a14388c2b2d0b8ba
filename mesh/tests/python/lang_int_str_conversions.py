# event: {"values": ["-0", "007", "+12", " -5 ", "9223372036854775807"]}
def handler(event, context):
    ints = [int(v) for v in event["values"]]
    return {
        "ints": ints, "strs": [str(i) for i in ints], "float_ints": [int(2.5), int(-0.5), int(1e15), int("10") + int(True)],
        "str_float": [str(1.0), str(-0.0), str(1e15), str(1e16), str(0.1), str(100.5)], "int_of_float_str": int(float("3.7")),
        "bool_of_str": [bool("False"), bool("0"), bool("")], "len_digits": len(str(2 ** 62)),
    }
