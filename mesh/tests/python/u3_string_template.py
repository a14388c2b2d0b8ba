# event: {"user": "ada", "count": 3, "item": "sensor"}
# arena-kib: 128
import string
from string import Template


def handler(event, context):
    t = Template("Hello $user, you have ${count} new ${item}s. Cost: $$5")
    partial = Template("$user owes $amount")
    try:
        partial.substitute(user="bob")
        missing = None
    except KeyError as e:
        missing = str(e)
    try:
        Template("bad $").substitute()
        bad = None
    except ValueError as e:
        bad = str(e)
    code = "Abc-123_xyz!"
    return {
        "sub": t.substitute(event),
        "sub_kw": t.substitute(event, user="grace"),
        "safe": partial.safe_substitute(user="bob"),
        "missing": missing,
        "bad": bad,
        "template": t.template[:10],
        "consts": [string.ascii_lowercase, string.ascii_uppercase, string.digits, string.hexdigits, string.octdigits, string.punctuation],
        "letters_len": len(string.ascii_letters),
        "printable_len": len(string.printable),
        "ws": string.whitespace == " \t\n\r\x0b\x0c",
        "classify": ["".join(c for c in code if c in string.ascii_letters), "".join(c for c in code if c in string.digits), "".join(c for c in code if c in string.punctuation)],
        "capwords": string.capwords("hello   big  world"),
        "capwords_sep": string.capwords("a-b-c", "-"),
        "is_hex": all(c in string.hexdigits for c in "DEADbeef"),
    }
