# event: {"sep": "-", "n": 3, "words": ["alpha", "Beta", "gamma"], "path": "/var/log/app/2026/11/27.log"}


def handler(event, context):
    sep, n, words, path = event["sep"], event["n"], event["words"], event["path"]
    banner = sep * 10
    parts = path.split("/")
    return {
        "banner": banner,
        "repeat_list": [0] * n + [1] * 0,
        "repeat_neg": "ab" * -1,
        "rmul": n * "xy",
        "join": sep.join(words),
        "join_gen": ",".join(str(i * i) for i in range(n)),
        "parts": parts,
        "basename": path.rsplit("/", 1)[-1],
        "ext": path[path.rfind(".") + 1:],
        "startswith_tuple": [path.startswith(("/var", "/tmp")), path.endswith((".txt", ".log"))],
        "startswith_pos": path.startswith("log", 5),
        "find": [path.find("log"), path.find("log", 10), path.find("zzz"), path.index("app")],
        "replace_count": "a-b-c-d".replace("-", "+", 2),
        "in": ["log" in path, "" in path, "LOG" in path],
        "cmp": ["apple" < "banana", "Zebra" < "apple", "abc" < "abcd", "b" > "abc"],
        "ord_chr": [ord("A"), chr(0x263A), ord("é"), chr(97)],
        "encode": list("hé".encode("utf-8")),
        "decode": b"caf\xc3\xa9".decode(),
        "str_bytes": str(b"ab\x00"),
        "len_unicode": [len("héllo"), len("日本語"), len("😀")],
        "upper_words": [w.upper() if i % 2 else w.lower() for i, w in enumerate(words)],
        "format": "{0}-{1}-{0}".format("a", "b"),
        "format_named": "{dev:>6}|{val:.2f}|{val!r}".format(dev="d1", val=1.5),
        "format_index": "{0[1]} {1[k]}".format(words, {"k": "v"}),
        "format_attr": "{0.real} {0.imag}".format(3),
        "strip_default": "\t\n x \r\n".strip(),
        "lstrip": "0007".lstrip("0"),
        "isdigit": ["123".isdigit(), "12.3".isdigit(), "".isdigit(), "²".isdigit(), "²".isdecimal()],
        "isnumeric": ["½".isnumeric(), "12".isnumeric()],
        "alpha": ["abc".isalpha(), "ab1".isalpha(), "é".isalpha()],
        "upper_lower": ["ABC".isupper(), "AbC".isupper(), "abc1".islower(), "123".islower()],
    }
