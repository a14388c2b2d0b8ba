# event: {"s": "  Hello, Sensor World  "}
def handler(event, context):
    s = event["s"]
    t = s.strip()
    return {
        "split": t.split(", "), "rsplit": t.rsplit(" ", 1), "join": "-".join(["a", "b", "c"]),
        "lower": t.lower(), "upper": t.upper(), "title": "hello wORLD".title(),
        "replace": t.replace("o", "0"), "starts": t.startswith("Hell"), "ends": t.endswith(("x", "World")),
        "find": t.find("o"), "rfind": t.rfind("o"), "index": t.index("S"), "count": t.count("l"),
        "isdigit": ["123".isdigit(), "12.3".isdigit(), "".isdigit()], "isalpha": ["abc".isalpha(), "ab1".isalpha(), "".isalpha()],
        "zfill": ["42".zfill(5), "-42".zfill(5), "12345".zfill(3)], "lstrip": s.lstrip(), "rstrip": s.rstrip() + "|",
        "format": "{}!".format(t), "encode": list(t[:3].encode()),
    }
