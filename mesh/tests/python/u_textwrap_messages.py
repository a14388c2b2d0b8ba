# event: {"msg": "The quick brown fox jumps over the lazy dog and keeps running far away", "width": 20}
# arena-kib: 256
import textwrap


def handler(event, context):
    msg = event["msg"]
    w = event["width"]
    return {
        "wrap": textwrap.wrap(msg, w),
        "fill": textwrap.fill(msg, w),
        "shorten": textwrap.shorten(msg, width=30),
        "dedent": textwrap.dedent("    a\n      b\n    c"),
        "indent": textwrap.indent("x\ny", "> "),
    }
