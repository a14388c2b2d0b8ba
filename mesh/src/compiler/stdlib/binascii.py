"""binascii for nanolambda functions: the conversions base64 needs, in
Python (CPython's module is C). Behaviour and messages follow CPython 3.11's
Modules/binascii.c."""

_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_HEX = b"0123456789abcdef"


class Error(ValueError):
    pass


class Incomplete(Exception):
    pass


def _a2b(c):
    """The value of base64 digit c (an ASCII code), 255 for a non-digit
    (arithmetic rather than a table: a sensor's arena is small)."""
    if 65 <= c <= 90:
        return c - 65
    if 97 <= c <= 122:
        return c - 71
    if 48 <= c <= 57:
        return c + 4
    if c == 43:
        return 62
    if c == 47:
        return 63
    return 255


def _data(data, what="a bytes-like object"):
    if isinstance(data, bytes):
        return data
    if type(data).__name__ in ("bytearray", "memoryview"):
        return bytes(data)
    if isinstance(data, str):
        try:
            return data.encode("ascii")
        except UnicodeEncodeError:
            raise ValueError("string argument should contain only ASCII characters")
    raise TypeError("%s is required, not '%s'" % (what, type(data).__name__))


def _bytes_like(data):
    if isinstance(data, bytes):
        return data
    if type(data).__name__ in ("bytearray", "memoryview"):
        return bytes(data)
    raise TypeError("a bytes-like object is required, not '%s'" % type(data).__name__)


def b2a_base64(data, *, newline=True):
    data = _bytes_like(data)
    out = []
    n = len(data)
    i = 0
    while i + 3 <= n:
        v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2]
        out.append(_B64[v >> 18])
        out.append(_B64[(v >> 12) & 63])
        out.append(_B64[(v >> 6) & 63])
        out.append(_B64[v & 63])
        i += 3
    rest = n - i
    if rest == 1:
        v = data[i] << 16
        out.append(_B64[v >> 18])
        out.append(_B64[(v >> 12) & 63])
        out.append(61)
        out.append(61)
    elif rest == 2:
        v = (data[i] << 16) | (data[i + 1] << 8)
        out.append(_B64[v >> 18])
        out.append(_B64[(v >> 12) & 63])
        out.append(_B64[(v >> 6) & 63])
        out.append(61)
    if newline:
        out.append(10)
    return bytes(out)


def a2b_base64(data, *, strict_mode=False):
    data = _data(data)
    out = []
    quad_pos = 0
    left = 0
    pads = 0
    padding_started = False
    n = len(data)
    if strict_mode and n > 0 and data[0] == 61:
        raise Error("Leading padding not allowed")
    i = 0
    while i < n:
        ch = data[i]
        if ch == 61:
            padding_started = True
            if quad_pos >= 2:
                pads += 1
                if quad_pos + pads >= 4:
                    if strict_mode and i + 1 < n:
                        raise Error("Excess data after padding")
                    return bytes(out)
            i += 1
            continue
        v = _a2b(ch)
        if v >= 64:
            if strict_mode:
                raise Error("Only base64 data is allowed")
            i += 1
            continue
        if strict_mode and padding_started:
            raise Error("Discontinuous padding not allowed")
        pads = 0
        if quad_pos == 0:
            quad_pos = 1
            left = v
        elif quad_pos == 1:
            quad_pos = 2
            out.append(((left << 2) | (v >> 4)) & 255)
            left = v & 15
        elif quad_pos == 2:
            quad_pos = 3
            out.append(((left << 4) | (v >> 2)) & 255)
            left = v & 3
        else:
            quad_pos = 0
            out.append(((left << 6) | v) & 255)
            left = 0
        i += 1
    if quad_pos != 0:
        if quad_pos == 1:
            raise Error("Invalid base64-encoded string: number of data characters (%d) "
                        "cannot be 1 more than a multiple of 4" % (len(out) // 3 * 4 + 1))
        raise Error("Incorrect padding")
    return bytes(out)


def hexlify(data, sep=None, bytes_per_sep=1):
    data = _bytes_like(data)
    out = []
    for i in range(len(data)):
        if sep is not None and i > 0 and bytes_per_sep > 0 and (len(data) - i) % bytes_per_sep == 0:
            out.extend(_data(sep))
        b = data[i]
        out.append(_HEX[b >> 4])
        out.append(_HEX[b & 15])
    return bytes(out)


b2a_hex = hexlify


def _nibble(c):
    if 48 <= c <= 57:
        return c - 48
    if 97 <= c <= 102:
        return c - 87
    if 65 <= c <= 70:
        return c - 55
    raise Error("Non-hexadecimal digit found")


def unhexlify(hexstr):
    data = _data(hexstr)
    if len(data) % 2:
        raise Error("Odd-length string")
    out = []
    for i in range(0, len(data), 2):
        out.append((_nibble(data[i]) << 4) | _nibble(data[i + 1]))
    return bytes(out)


a2b_hex = unhexlify


def crc_hqx(data, value):
    """CRC-CCITT (XModem polynomial 0x1021) continuing from `value`."""
    crc = value & 0xFFFF
    for b in _bytes_like(data):
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def crc32(data, crc=0):
    """CRC-32 (ISO-HDLC, as zlib), bit by bit: no 1 KiB table in the arena."""
    data = _bytes_like(data)
    c = (crc & 0xFFFFFFFF) ^ 0xFFFFFFFF
    for b in data:
        c ^= b
        for _ in range(8):
            if c & 1:
                c = (c >> 1) ^ 0xEDB88320
            else:
                c >>= 1
    return c ^ 0xFFFFFFFF
