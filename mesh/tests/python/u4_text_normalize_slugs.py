# event: {"titles": ["  Hello,   World!  ", "Ärger über Öl-Preise", "STRASSE vs straße", "C'est déjà l'été", "tabs\there\tand\nnewlines", "snake_case_and-kebab-case", "CamelCaseHTTPServer2Go"]}
# arena-kib: 128
import re
import string
from typing import List

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss",
                           "é": "e", "è": "e", "ê": "e", "à": "a", "ç": "c"})
_PUNCT = str.maketrans("", "", string.punctuation.replace("-", ""))
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def slugify(text: str, sep: str = "-") -> str:
    text = text.translate(_TRANSLIT).translate(_PUNCT).lower()
    words = re.split(r"[\s_\-]+", text.strip())
    return sep.join(w for w in words if w)


def snake(text: str) -> str:
    return _CAMEL.sub("_", text).replace("-", "_").lower()


def camel(text: str) -> str:
    head, *tail = re.split(r"[_\-\s]+", text)
    return head.lower() + "".join(t.capitalize() for t in tail)


def initials(text: str) -> str:
    return "".join(w[0].upper() for w in text.split() if w[0].isalpha())


def handler(event, context):
    titles: List[str] = event["titles"]
    return {
        "slugs": [slugify(t) for t in titles],
        "snake": [snake(t) for t in titles[-2:]],
        "camel": [camel(t) for t in titles[-2:]],
        "casefold": ["STRASSE".casefold() == "straße".casefold(), "ß".upper(), "ǅ".lower(), "ﬁ".upper()],
        "collapsed": " ".join(titles[0].split()),
        "expand": titles[4].expandtabs(4),
        "lines": titles[4].splitlines(keepends=True),
        "initials": [initials(t) for t in titles[:3]],
        "prefix": ["report-2024.csv".removeprefix("report-"), "data.json.gz".removesuffix(".gz")],
        "checks": [s.isidentifier() for s in ("ok_name", "2bad", "with space", "ünïcode")],
        "title": [t.title() for t in ("o'neil mcdonald", "hello wORLD")],
        "swap": "Hello World".swapcase(),
        "ljust": [s.ljust(6, ".") + "|" for s in ("a", "abcdefg")],
        "count": [titles[0].count("l"), titles[1].lower().count("ö")],
        "printable": "".join(c if c.isprintable() else "?" for c in "a\x00b\tc"),
        "ascii": "Zürich".encode("ascii", "ignore").decode(),
        "capwords": string.capwords("  many   spaces here "),
        "ord": [ord(c) for c in "Aé€"],
        "widths": [len(t) for t in titles],
    }
