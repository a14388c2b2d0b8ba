"""base64 for nanolambda functions: RFC 4648 Base64 and Base16, in Python,
with CPython 3.11's behaviour and messages (errors are binascii.Error)."""

import binascii

bytes_types = (bytes,)


def _bytes_from_decode_data(s):
    if isinstance(s, str):
        try:
            return s.encode("ascii")
        except UnicodeEncodeError:
            raise ValueError("string argument should contain only ASCII characters")
    if isinstance(s, bytes):
        return s
    if type(s).__name__ in ("bytearray", "memoryview"):
        return bytes(s)
    raise TypeError("argument should be a bytes-like object or ASCII string, not %r"
                    % type(s).__name__)


def _translate(s, frm, to):
    if frm == to:
        return s
    out = []
    for c in s:
        if c == frm[0]:
            out.append(to[0])
        elif c == frm[1]:
            out.append(to[1])
        else:
            out.append(c)
    return bytes(out)


def b64encode(s, altchars=None):
    encoded = binascii.b2a_base64(s, newline=False)
    if altchars is not None:
        if len(altchars) != 2:
            raise AssertionError(repr(altchars))
        return _translate(encoded, b"+/", altchars)
    return encoded


def b64decode(s, altchars=None, validate=False):
    s = _bytes_from_decode_data(s)
    if altchars is not None:
        altchars = _bytes_from_decode_data(altchars)
        if len(altchars) != 2:
            raise AssertionError(repr(altchars))
        s = _translate(s, altchars, b"+/")
    return binascii.a2b_base64(s, strict_mode=validate)


def standard_b64encode(s):
    return b64encode(s)


def standard_b64decode(s):
    return b64decode(s)


def urlsafe_b64encode(s):
    return _translate(b64encode(s), b"+/", b"-_")


def urlsafe_b64decode(s):
    s = _bytes_from_decode_data(s)
    return b64decode(_translate(s, b"-_", b"+/"))


_B32 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def b32encode(s):
    data = bytes(s) if not isinstance(s, bytes) else s
    out = []
    for i in range(0, len(data), 5):
        chunk = data[i:i + 5]
        n = 0
        for b in chunk:
            n = (n << 8) | b
        n <<= 8 * (5 - len(chunk))
        chars = [_B32[(n >> (35 - 5 * k)) & 31] for k in range(8)]
        used = (len(chunk) * 8 + 4) // 5
        out.extend(chars[:used])
        out.extend([61] * (8 - used))
    return bytes(out)


def b32decode(s, casefold=False, map01=None):
    s = _bytes_from_decode_data(s)
    if len(s) % 8:
        raise binascii.Error("Incorrect padding")
    if map01 is not None:
        s = s.replace(b"0", b"O").replace(b"1", _bytes_from_decode_data(map01))
    if casefold:
        s = s.upper()
    body = s.rstrip(b"=")
    pad = len(s) - len(body)
    if pad not in (0, 1, 3, 4, 6):
        raise binascii.Error("Incorrect padding")
    out = []
    for i in range(0, len(s), 8):
        chunk = s[i:i + 8]
        n = 0
        count = 0
        for c in chunk:
            if c == 61:
                n <<= 5
                continue
            v = _B32.find(bytes([c]))
            if v < 0:
                raise binascii.Error("Non-base32 digit found")
            n = (n << 5) | v
            count += 1
        full = [(n >> (32 - 8 * k)) & 255 for k in range(5)]
        out.extend(full[:(count * 5) // 8] if count < 8 else full)
    return bytes(out)


def b16encode(s):
    return binascii.hexlify(s).upper()


def b16decode(s, casefold=False):
    s = _bytes_from_decode_data(s)
    if casefold:
        s = s.upper()
    for c in s:
        if not (48 <= c <= 57 or 65 <= c <= 70):
            raise binascii.Error("Non-base16 digit found")
    return binascii.unhexlify(s)


def encodebytes(s):
    s = binascii._bytes_like(s)
    pieces = []
    for i in range(0, len(s), 57):
        pieces.append(binascii.b2a_base64(s[i:i + 57]))
    return b"".join(pieces)


def decodebytes(s):
    return binascii.a2b_base64(binascii._bytes_like(s))
