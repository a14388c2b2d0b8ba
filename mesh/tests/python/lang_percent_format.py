# event: null
def handler(event, context):
    return [
        "%d items" % 5,
        "%s and %s" % ("a", "b"),
        "%5d|%-5d|" % (42, 42),
        "%05.1f" % 3.14159,
        "%.3f" % (2 / 3),
        "%x %X %o" % (255, 255, 8),
        "%r" % "quoted",
        "%s" % [1, "a"],
        "%%d literal %d" % 1,
        "%(name)s is %(age)d" % {"name": "ann", "age": 30},
        "%e" % 12345.678,
        "%+d %+d" % (5, -5),
        "%10.3s|" % "abcdef",
        "%i|%3s|" % (7, "ab"),
    ]
