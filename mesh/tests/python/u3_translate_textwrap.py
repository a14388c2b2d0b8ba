# event: {"text": "The quick brown fox jumps over the lazy dog; then it naps under a very old oak tree near the river.", "code": "hello-world_2024"}
# arena-kib: 128
import textwrap

LEET = str.maketrans("aeio", "4310")
STRIP_PUNCT = str.maketrans("", "", ";.,")


def handler(event, context):
    text = event["text"]
    code = event["code"]
    return {
        "leet": code.translate(LEET),
        "nopunct": text.translate(STRIP_PUNCT)[:40],
        "dict_table": code.translate({ord("-"): "_", ord("_"): None, ord("2"): "two"}),
        "wrap": textwrap.wrap(text, width=30),
        "fill": textwrap.fill(text, width=40, initial_indent="> ", subsequent_indent="  "),
        "shorten": textwrap.shorten(text, width=40, placeholder=" [...]"),
        "dedent": textwrap.dedent("""\
            line one
              indented
            line three
        """),
        "indent": textwrap.indent("a\nb\n\nc", "  "),
        "indent_pred": textwrap.indent("a\nb", "+ ", lambda line: line.startswith("b")),
        "wrap_long": textwrap.wrap("x" * 25 + " short", width=10),
        "maketrans_dict": sorted(str.maketrans({"a": "b"}).items()),
    }
