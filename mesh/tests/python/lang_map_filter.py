# event: {"values": ["1", "2", "x", "4"]}
def is_num(s):
    return s.isdigit()

def handler(event, context):
    v = event["values"]
    nums = list(map(int, filter(is_num, v)))
    return {
        "nums": nums, "strs": list(map(str, nums)), "upper": list(map(str.upper, ["a", "b"])),
        "pairs": list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])), "filter_none": list(filter(None, [0, 1, "", "x"])),
        "sum_map": sum(map(len, v)), "sorted_map": sorted(map(abs, [-3, 1, -2])),
    }
