# event: {"line": "caf\u00e9 \u0663\u0664 r\u00e9sum\u00e9 id_7 \u00fcber 42"}
# arena-kib: 96
import re


def handler(event, context):
    s = event["line"]
    return {
        "unicode_words": re.findall(r"\w+", s),
        "ascii_words": re.findall(r"\w+", s, re.A),
        "inline": re.findall(r"(?a)\w+", s),
        "ascii_digits": re.findall(r"\d+", s, flags=re.ASCII),
        "unicode_digits": re.findall(r"\d+", s),
        "not_word": re.findall(r"\W+", s, re.ASCII),
        "boundary": re.findall(r"\b\w\w\b", s, re.ASCII),
        "class": re.findall(r"[\w-]+", "a-\u00e9-b", re.ASCII),
        "sub": re.sub(r"\s+", "_", "a\u00a0b c", flags=re.A),
        "flags": bool(re.compile(r"x", re.A).flags & re.A),
    }
