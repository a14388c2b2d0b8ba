# event: {"lines": ["# header", "t1,20.5", "", "t2,abc", "t3,19.25", "t1,21.0"]}


def read_lines(lines):
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        yield line


def parse(lines):
    for line in lines:
        name, _, value = line.partition(",")
        try:
            yield name, float(value)
        except ValueError:
            continue


def chunks(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def handler(event, context):
    rows = list(parse(read_lines(event["lines"])))
    totals = {}
    for name, value in rows:
        totals[name] = totals.get(name, 0) + value
    gen = (v for _, v in rows)
    return {
        "rows": rows,
        "totals": totals,
        "max": max(gen),
        "chunks": list(chunks([1, 2, 3, 4, 5], 2)),
        "first": next(iter(read_lines(event["lines"]))),
        "sum_sq": sum(x * x for x in range(5)),
        "dict_gen": dict((n, round(v)) for n, v in rows),
        "sorted_gen": sorted((v for _, v in rows), reverse=True),
    }
