"""struct for nanolambda functions: binary payloads (sensor frames,
LoRaWAN/MQTT packets) packed and unpacked as CPython 3.11 does, with the
byte orders @ = < > ! (native is 64-bit little-endian with alignment, as
on Lambda), the codes x c b B ? h H i I l L q Q n N e f d s p, repeat
counts, calcsize, pack, pack_into, unpack/unpack_from/iter_unpack and
Struct. Floats are encoded bit by bit (IEEE 754, round half to even).

Differences: integers are 64-bit in the VM, so Q/N values at or above
2**63 cannot be packed or unpacked (OverflowError)."""

import math


class error(Exception):
    pass


_NATIVE = {"x": (1, 1), "c": (1, 1), "b": (1, 1), "B": (1, 1), "?": (1, 1), "h": (2, 2), "H": (2, 2),
           "i": (4, 4), "I": (4, 4), "l": (8, 8), "L": (8, 8), "q": (8, 8), "Q": (8, 8), "n": (8, 8),
           "N": (8, 8), "e": (2, 2), "f": (4, 4), "d": (8, 8), "s": (1, 1), "p": (1, 1), "P": (8, 8)}
_STANDARD = {"x": 1, "c": 1, "b": 1, "B": 1, "?": 1, "h": 2, "H": 2, "i": 4, "I": 4, "l": 4, "L": 4, "q": 8,
             "Q": 8, "e": 2, "f": 4, "d": 8, "s": 1, "p": 1}
_SIGNED = "bhilqn"
_INT_NAMES = {"b": "byte", "B": "ubyte", "h": "short", "H": "ushort"}


def _parse(fmt):
    """(little-endian, native, [(code, count, size, align)])."""
    if isinstance(fmt, bytes):
        fmt = fmt.decode("ascii")
    if not isinstance(fmt, str):
        raise TypeError("Struct() argument 1 must be a str or bytes object, not %s" % type(fmt).__name__)
    i = 0
    little, native = True, True
    if fmt and fmt[0] in "@=<>!":
        c = fmt[0]
        native = c == "@"
        little = c in "@=<"
        i = 1
    items = []
    while i < len(fmt):
        c = fmt[i]
        if c in " \t\n\r\v\f":
            i += 1
            continue
        count = None
        while c.isdigit():
            count = (count or 0) * 10 + int(c)
            i += 1
            if i >= len(fmt):
                raise error("repeat count given without format specifier")
            c = fmt[i]
        i += 1
        if native:
            if c not in _NATIVE:
                raise error("bad char in struct format")
            size, align = _NATIVE[c]
        else:
            if c not in _STANDARD:
                raise error("bad char in struct format")
            size, align = _STANDARD[c], 1
        items.append((c, 1 if count is None else count, size, align))
    return little, native, items


def calcsize(fmt):
    return _layout(fmt)[0]


def _layout(fmt):
    little, native, items = _parse(fmt)
    offset = 0
    fields = []
    for c, count, size, align in items:
        if native and align > 1 and c not in "sp" and count:
            offset += (-offset) % align
        if c in "sp":
            fields.append((c, count, offset, native))
            offset += count
        elif c == "x":
            offset += count
        else:
            for _ in range(count):
                fields.append((c, size, offset, native))
                offset += size
    return offset, little, fields


def _int_bytes(v, size, little):
    out = []
    for k in range(size):
        out.append((v >> (8 * k)) & 255)
    if not little:
        out.reverse()
    return out


def _float_bits(x, exp_bits, mant_bits, code):
    """(sign, bits without the sign) of float x in IEEE 754 with exp_bits
    exponent and mant_bits fraction bits, rounded half to even."""
    sign = 1 if (x < 0 or (x == 0 and math.copysign(1.0, x) < 0)) else 0
    x = abs(x)
    bias = (1 << (exp_bits - 1)) - 1
    if x != x:
        return 0, (((1 << exp_bits) - 1) << mant_bits) | (1 << (mant_bits - 1))
    if x == float("inf"):
        return sign, ((1 << exp_bits) - 1) << mant_bits
    if x == 0:
        return sign, 0
    e = 0
    m = x
    while m >= 2.0:
        m *= 0.5
        e += 1
    while m < 1.0:
        m *= 2.0
        e -= 1
    # x = m * 2**e with 1 <= m < 2
    if e + bias <= 0:
        scaled = x
        for _ in range(bias - 1 + mant_bits):
            scaled *= 2.0
        frac = _round_half_even(scaled)
        biased = 0
        if frac >= (1 << mant_bits):
            biased = 1
            frac -= 1 << mant_bits
    else:
        scaled = m
        for _ in range(mant_bits):
            scaled *= 2.0
        frac = _round_half_even(scaled)
        biased = e + bias
        if frac >= (2 << mant_bits):
            frac >>= 1
            biased += 1
        frac -= 1 << mant_bits
    if biased >= (1 << exp_bits) - 1:
        raise OverflowError("float too large to pack with %s format" % code)
    return sign, (biased << mant_bits) | frac


def _round_half_even(v):
    f = math.floor(v)
    d = v - f
    n = int(f)
    if d > 0.5 or (d == 0.5 and n % 2 == 1):
        n += 1
    return n


def _bits_float(bits, exp_bits, mant_bits):
    sign = -1.0 if (bits >> (exp_bits + mant_bits)) & 1 else 1.0
    biased = (bits >> mant_bits) & ((1 << exp_bits) - 1)
    frac = bits & ((1 << mant_bits) - 1)
    bias = (1 << (exp_bits - 1)) - 1
    if biased == (1 << exp_bits) - 1:
        return sign * float("inf") if frac == 0 else float("nan")
    if biased == 0:
        value = float(frac)
        e = 1 - bias - mant_bits
    else:
        value = float(frac + (1 << mant_bits))
        e = biased - bias - mant_bits
    while e > 0:
        value *= 2.0
        e -= 1
    while e < 0:
        value *= 0.5
        e += 1
    return sign * value


_FLOAT_BITS = {"e": (5, 10), "f": (8, 23), "d": (11, 52)}


def _limits(code, size):
    if size >= 8:
        # The VM's integers are 64-bit: Q/N stop at 2**63 - 1.
        return (-9223372036854775807 - 1 if code in _SIGNED else 0), 9223372036854775807
    if code in _SIGNED:
        return -(1 << (8 * size - 1)), (1 << (8 * size - 1)) - 1
    return 0, (1 << (8 * size)) - 1


def _range_message(code, n, native, v, lo, hi):
    """CPython 3.11's words for an integer out of its format's range."""
    if native:
        if code in _INT_NAMES:
            return "%s format requires %d <= number <= %d" % (_INT_NAMES[code], lo, hi)
        if code == "i":
            return "'i' format requires %d <= number <= %d" % (lo, hi)
        return "argument out of range"
    if code not in _SIGNED and v < 0:
        return "argument out of range"
    if n == 8:
        return "int too large to convert"
    return "'%s' format requires %d <= number <= %d" % (code, lo, hi)


def pack(fmt, *values):
    size, little, fields = _layout(fmt)
    if len(values) != len(fields):
        raise error("pack expected %d items for packing (got %d)" % (len(fields), len(values)))
    out = [0] * size
    for (code, n, offset, native), v in zip(fields, values):
        if code in "sp":
            if not isinstance(v, bytes):
                raise error("argument for '%s' must be a bytes object" % code)
            data = list(v)
            if code == "p":
                data = [min(len(data), max(n - 1, 0), 255)] + data[:max(n - 1, 0)]
            data = data[:n]
            out[offset:offset + len(data)] = data
            continue
        if code == "c":
            if not isinstance(v, bytes) or len(v) != 1:
                raise error("char format requires a bytes object of length 1")
            out[offset] = v[0]
            continue
        if code == "?":
            out[offset] = 1 if v else 0
            continue
        if code in _FLOAT_BITS:
            if not isinstance(v, (int, float)):
                raise error("required argument is not a float")
            exp_bits, mant_bits = _FLOAT_BITS[code]
            sign, bits = _float_bits(float(v), exp_bits, mant_bits, code)
            data = _int_bytes(bits, n, True)
            if sign:
                data[n - 1] |= 128
            if not little:
                data.reverse()
            out[offset:offset + n] = data
            continue
        if not isinstance(v, int):
            raise error("required argument is not an integer")
        lo, hi = _limits(code, n)
        if not lo <= v <= hi:
            # CPython packs little-endian standard formats whose size
            # matches the native one with the native code (and its words).
            as_native = native or (little and code in "bBhHiIqQ")
            raise error(_range_message(code, n, as_native, v, lo, hi))
        out[offset:offset + n] = _int_bytes(v, n, little)
    return bytes(out)


def pack_into(fmt, buffer, offset, *values):
    data = pack(fmt, *values)
    if offset < 0:
        if offset + len(buffer) < 0:
            raise error("offset %d out of range for %d-byte buffer" % (offset, len(buffer)))
        offset += len(buffer)
    if len(buffer) - offset < len(data):
        raise error("pack_into requires a buffer of at least %d bytes for packing %d bytes at offset %d "
                    "(actual buffer size is %d)" % (len(data) + offset, len(data), offset, len(buffer)))
    if isinstance(buffer, bytes):
        raise TypeError("argument must be read-write bytes-like object, not bytes")
    buffer[offset:offset + len(data)] = data


def _unpack_fields(fields, little, buffer, base):
    values = []
    for code, n, offset, _ in fields:
        at = base + offset
        if code == "s":
            values.append(bytes(buffer[at:at + n]))
            continue
        if code == "p":
            length = min(buffer[at], max(n - 1, 0)) if n else 0
            values.append(bytes(buffer[at + 1:at + 1 + length]))
            continue
        chunk = list(buffer[at:at + n])
        if not little:
            chunk.reverse()
        if code == "c":
            values.append(bytes([chunk[0]]))
        elif code == "?":
            values.append(chunk[0] != 0)
        elif code in _FLOAT_BITS:
            negative = chunk[n - 1] >= 128
            if negative:
                chunk[n - 1] -= 128
            bits = 0
            for k in range(n - 1, -1, -1):
                bits = (bits << 8) | chunk[k]
            exp_bits, mant_bits = _FLOAT_BITS[code]
            value = _bits_float(bits, exp_bits, mant_bits)
            values.append(-value if negative else value)
        else:
            top = chunk[n - 1]
            if top >= 128 and code in _SIGNED:
                bits = top - 256
            elif top >= 128 and n == 8:
                raise OverflowError("unsigned 64-bit value too large for the VM's integers")
            else:
                bits = top
            for k in range(n - 2, -1, -1):
                bits = (bits << 8) | chunk[k]
            values.append(bits)
    return tuple(values)


def unpack(fmt, buffer):
    size, little, fields = _layout(fmt)
    if len(buffer) != size:
        raise error("unpack requires a buffer of %d bytes" % size)
    return _unpack_fields(fields, little, buffer, 0)


def unpack_from(fmt, buffer, offset=0):
    size, little, fields = _layout(fmt)
    if offset < 0:
        offset += len(buffer)
    if offset < 0 or len(buffer) - offset < size:
        raise error("unpack_from requires a buffer of at least %d bytes for unpacking %d bytes at offset %d "
                    "(actual buffer size is %d)" % (size + offset, size, offset, len(buffer)))
    return _unpack_fields(fields, little, buffer, offset)


def iter_unpack(fmt, buffer):
    size, little, fields = _layout(fmt)
    if size == 0:
        raise error("cannot iteratively unpack with a struct of length 0")
    if len(buffer) % size:
        raise error("iterative unpacking requires a buffer of a multiple of %d bytes" % size)
    return iter([_unpack_fields(fields, little, buffer, k) for k in range(0, len(buffer), size)])


class Struct:
    def __init__(self, format):
        self.format = format
        self.size = calcsize(format)

    def pack(self, *values):
        return pack(self.format, *values)

    def pack_into(self, buffer, offset, *values):
        pack_into(self.format, buffer, offset, *values)

    def unpack(self, buffer):
        return unpack(self.format, buffer)

    def unpack_from(self, buffer, offset=0):
        return unpack_from(self.format, buffer, offset)

    def iter_unpack(self, buffer):
        return iter_unpack(self.format, buffer)
