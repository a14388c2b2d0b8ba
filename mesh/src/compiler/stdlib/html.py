"""html for nanolambda: `html.escape` as CPython 3.11 (`&`, `<`, `>`, and
with `quote=True` both quotes). `unescape` (the HTML5 entity table) is not
provided."""


def escape(s, quote=True):
    s = s.replace("&", "&amp;")
    s = s.replace("<", "&lt;")
    s = s.replace(">", "&gt;")
    if quote:
        s = s.replace('"', "&quot;")
        s = s.replace("'", "&#x27;")
    return s
