# event: null
def handler(event, context):
    raw = r"C:\new\table\d+"
    triple = """line one
line "two"
  line three"""
    implicit = "abc" "def" 'ghi'
    escapes = "\x41\u00e9\t|\\|\'|\"|\101"
    return {"raw": raw, "raw_len": len(raw), "triple": triple.split("\n"), "implicit": implicit, "escapes": escapes, "esc_len": len(escapes), "bytes_esc": list(b"\x00\x7f\n"), "single_in_double": "it's", "empty": ["", '', len("""""")]}
