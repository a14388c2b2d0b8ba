# event: {"n": 30000, "rounds": 12}
# arena-kib: 8192
def one_round(n, seed):
    x = seed
    values = []
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        values.append(x % 100000)
    plain = sorted(values)
    records = [(v % 97, v, "r%d" % v) for v in values[: n // 2]]
    keyed = sorted(records, key=lambda r: (r[0], -r[1]))
    rev = sorted(values, reverse=True)
    values.sort(key=lambda v: v % 1000)
    return [plain[0], plain[-1], plain[n // 2], keyed[0][2], rev[0], values[0]]

def handler(event, context):
    out = []
    for r in range(event["rounds"]):
        out.append(one_round(event["n"], 12345 + r))
    return {"first": out[0], "last": out[-1]}
