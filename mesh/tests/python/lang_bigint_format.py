# event: null


def handler(event, context):
    big = 12345678901234567890123
    neg = -(2 ** 72)
    return [
        str(big), repr(neg), f"{big}", f"{big:,}", f"{big:_}", f"{neg:,}",
        f"{big:x}", f"{big:#x}", f"{big:X}", f"{big:#o}", f"{2 ** 70:b}", f"{2 ** 66:_b}", f"{big:_x}",
        f"{big:>40}", f"{big:*<35}", f"{big:^35}", f"{neg:=+40}", f"{big:+}", f"{big: }",
        f"{big:040,}", f"{big:e}", f"{big:.3e}", f"{big:.2f}", f"{2 ** 80:g}", f"{big:%}",
        format(big, "d"), format(neg, "x"), "{} and {:,}".format(big, neg),
        "%d" % big, "%i|%x|%X|%#o|%#x" % (neg, big, big, big, neg), "%s %r" % (big, neg), "%30d|%-30d|" % (big, neg),
        "%+d %.30d %.3e %g" % (big, big, big, neg), "%(a)d" % {"a": big}, (b"%d|%x" % (big, neg)).decode(), str([big, neg]), str((big,)), str({big: neg}),
        len(str(10 ** 100)), str(10 ** 100)[-5:], str(2 ** 1000)[:20],
        int("123456789012345678901234567890"), int("  -98765432109876543210  "),
        int("1_000_000_000_000_000_000_000"), int("ffffffffffffffffffff", 16), int("0x" + "f" * 20, 0),
        int("0b" + "1" * 70, 0), int("0o" + "7" * 30, 0), int("z" * 20, 36), int("+" + "9" * 30),
    ]
