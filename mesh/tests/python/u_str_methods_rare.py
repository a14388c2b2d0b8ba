# event: {"line": "  Sensor-A:\tTemp=21.5\tHum=40  ", "text": "alpha\nbeta\r\ngamma\n\ndelta", "word": "Straße"}


def handler(event, context):
    line = event["line"]
    text = event["text"]
    word = event["word"]
    head, sep, tail = line.strip().partition(":")
    a, b, c = "no-separator".partition("|")
    r = "a.b.c".rpartition(".")
    return {
        "partition": [head, sep, tail],
        "partition_missing": [a, b, c],
        "rpartition": list(r),
        "splitlines": text.splitlines(),
        "splitlines_keep": text.splitlines(True),
        "center": "[" + "hi".center(7, "*") + "]",
        "center_even": "[" + "abc".center(6) + "]",
        "ljust": "x".ljust(4, ".") + "|",
        "rjust": "42".rjust(6, "0"),
        "casefold": word.casefold(),
        "lower": word.lower(),
        "upper": word.upper(),
        "isalnum": ["abc123".isalnum(), "abc 123".isalnum(), "".isalnum()],
        "isspace": [" \t\n".isspace(), "".isspace(), " a ".isspace()],
        "swapcase": "Hello World 123".swapcase(),
        "expandtabs": line.expandtabs(4),
        "expandtabs8": "a\tbc\tdef\tg".expandtabs(),
        "removeprefix": "sensor-42".removeprefix("sensor-"),
        "removeprefix_no": "sensor-42".removeprefix("dev-"),
        "removesuffix": "report.csv".removesuffix(".csv"),
        "title": "hello wORLD o'neil".title(),
        "capitalize": "hELLO".capitalize(),
        "zfill": ["-42".zfill(6), "+7".zfill(4), "abc".zfill(2)],
        "count": "banana".count("an"),
        "rfind": "banana".rfind("a"),
        "istitle": ["Hello World".istitle(), "Hello world".istitle()],
        "isidentifier": ["_x1".isidentifier(), "1x".isidentifier()],
        "split_max": "a,b,c,d".split(",", 2),
        "rsplit_max": "a,b,c,d".rsplit(",", 1),
        "split_ws": "  a  b \t c ".split(),
        "strip_chars": "xxhixyx".strip("xy"),
    }
