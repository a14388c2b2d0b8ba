# event: {"names": ["  Straße  ", "ÉCOLE", "hello_world", "Mixed Case Text"], "csv": "a,b\nc,d\r\ne,f\n"}
# arena-kib: 256


def handler(event, context):
    names = event["names"]
    table = str.maketrans({"_": " ", "-": None})
    tbl2 = str.maketrans("abc", "xyz", "!")
    out = []
    for n in names:
        s = n.strip()
        out.append({
            "casefold": s.casefold(),
            "title": s.title(),
            "swap": s.swapcase(),
            "center": s.center(20, "*"),
            "ljust": s.ljust(12, "."),
            "rjust": s.rjust(12),
            "trans": s.translate(table),
            "part": s.partition(" "),
            "rpart": s.rpartition("o"),
            "zfill": s[:3].zfill(6),
        })
    return {
        "out": out,
        "lines": event["csv"].splitlines(),
        "keep": event["csv"].splitlines(keepends=True),
        "tbl2": "aabbcc!!".translate(tbl2),
        "eq": "Straße".casefold() == "STRASSE".casefold(),
        "isx": ["abc".isalpha(), "12".isdigit(), "a1".isalnum(), " ".isspace(), "Ab Cd".istitle(), "_x1".isidentifier()],
        "strip": "xxhixx".strip("x"),
        "split": "a  b   c".split(),
        "rsplit": "a.b.c.d".rsplit(".", 2),
        "join": "-".join(map(str, range(4))),
        "count": "banana".count("an"),
        "find": ["banana".find("na", 3), "banana".rfind("na"), "banana".index("b")],
        "replace": "aaaa".replace("a", "b", 2),
        "prefix": "s3://bucket/key".removeprefix("s3://").removesuffix("/key"),
        "expand": "a\tb".expandtabs(4),
        "fmt": "{0}-{1}-{0}".format("x", "y"),
        "fmt_map": "{host}:{port}".format_map({"host": "h", "port": 80}),
        "encode": "é".encode("utf-8").hex(),
        "upper_sharp": "ß".upper(),
    }
