# event: null


def handler(event, context):
    x = int.from_bytes(b"\xff" * 9, "big")
    y = int.from_bytes(bytes(range(1, 21)), "little")
    z = int.from_bytes(b"\x80" + b"\x00" * 15, "big", signed=True)
    big = 1 << 70
    return {
        "from_bytes": [x, y, z, int.from_bytes(b"\x01" + b"\x00" * 8, "big")],
        "to_bytes": [
            x.to_bytes(9, "big").hex(),
            y.to_bytes(20, "little") == bytes(range(1, 21)),
            z.to_bytes(16, "big", signed=True).hex(),
            (2 ** 64).to_bytes(12, "little").hex(),
            (-(2 ** 70)).to_bytes(10, "big", signed=True).hex(),
        ],
        "shifts": [big, big >> 65, big << 30, -big >> 3, -(big + 1) >> 65, 1 << 64, (1 << 63) - 1, 5 >> 100],
        "bitwise": [big | 1, big & (big - 1), big ^ (big - 1), ~big, -big & 0xFF, (2 ** 100 - 1) & (2 ** 64 + 3), -(2 ** 80) | 7, -(2 ** 80) ^ -(2 ** 70)],
        "bits": [big.bit_length(), (-big).bit_length(), (2 ** 100 - 1).bit_count(), x.bit_length()],
        "hexoctbin": [hex(x), oct(big), bin(2 ** 66 + 5), hex(-(2 ** 64)), hex(2 ** 63)],
        "neg": [-big, +big, -(-big), ~(~big)],
        "bool": [bool(big), not big, big and "yes"],
        "literals": [0xFFFF_FFFF_FFFF_FFFF_FFFF, 0o7777777777777777777777777, 0b1_0000000000_0000000000_0000000000_0000000000_0000000000_0000000000_0000,
                     1_000_000_000_000_000_000_000, -170141183460469231731687303715884105728, 9223372036854775808, 18446744073709551615,
                     0x8000000000000000, 340282366920938463463374607431768211456 - 1],
    }
