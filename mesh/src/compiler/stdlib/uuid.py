"""uuid for nanolambda functions: the UUID class (from hex text or 16
bytes; str, hex, bytes, urn, version, variant, comparison) and uuid3,
uuid4, uuid5 with the standard namespaces, after CPython 3.11.

UUID(int=...) and UUID.int use big integers (not on sensors). Differences:
the other attributes are computed when the UUID is made; uuid4 draws from a Mersenne Twister of its own seeded from the clock,
where CPython reads os.urandom: unique enough for request ids, not for
secrets."""

import hashlib
import random as _random

RESERVED_NCS = "reserved for NCS compatibility"
RFC_4122 = "specified in RFC 4122"
RESERVED_MICROSOFT = "reserved for Microsoft compatibility"
RESERVED_FUTURE = "reserved for future definition"

_HEX = "0123456789abcdef"
_bytes = bytes
_int = int


class UUID:
    def __init__(self, hex=None, bytes=None, bytes_le=None, fields=None, int=None, version=None):
        if [hex, bytes, bytes_le, fields, int].count(None) != 4:
            raise TypeError("one of the hex, bytes, bytes_le, fields, or int arguments must be given")
        if bytes_le is not None:
            if len(bytes_le) != 16:
                raise ValueError("bytes_le is not a 16-char string")
            bytes = (bytes_le[4 - 1::-1] + bytes_le[6 - 1:4 - 1:-1] + bytes_le[8 - 1:6 - 1:-1]
                     + bytes_le[8:])
        if fields is not None:
            raise TypeError("UUID(fields=...) is not supported by nanolambda")
        if int is not None:
            if not 0 <= int < 1 << 128:
                raise ValueError("int is out of range (need a 128-bit value)")
            bytes = int.to_bytes(16, "big")
        if hex is not None:
            h = hex.replace("urn:", "").replace("uuid:", "")
            h = h.strip("{}").replace("-", "")
            if len(h) != 32:
                raise ValueError("badly formed hexadecimal UUID string")
            raw = []
            for i in range(0, 32, 2):
                hi = _HEX.find(h[i].lower())
                lo = _HEX.find(h[i + 1].lower())
                if hi < 0 or lo < 0:
                    raise ValueError("invalid literal for int() with base 16: %r" % h)
                raw.append(hi * 16 + lo)
        else:
            if len(bytes) != 16:
                raise ValueError("bytes is not a 16-char string")
            raw = list(bytes)
        if version is not None:
            if not 1 <= version <= 5:
                raise ValueError("illegal version number")
            raw[8] = (raw[8] & 0x3F) | 0x80
            raw[6] = (raw[6] & 0x0F) | (version << 4)
        self.bytes = _bytes(raw)
        self.hex = self.bytes.hex()
        self.urn = "urn:uuid:" + str(self)
        v = raw[8]
        if not v & 0x80:
            self.variant = RESERVED_NCS
        elif not v & 0x40:
            self.variant = RFC_4122
        elif not v & 0x20:
            self.variant = RESERVED_MICROSOFT
        else:
            self.variant = RESERVED_FUTURE
        self.version = raw[6] >> 4 if self.variant == RFC_4122 else None

    @property
    def int(self):
        return _int.from_bytes(self.bytes, "big")

    @property
    def bytes_le(self):
        b = self.bytes
        return b[4 - 1::-1] + b[6 - 1:4 - 1:-1] + b[8 - 1:6 - 1:-1] + b[8:]

    def __int__(self):
        return self.int

    def __str__(self):
        h = self.hex
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])

    def __repr__(self):
        return "UUID('%s')" % str(self)

    def __eq__(self, other):
        return isinstance(other, UUID) and self.bytes == other.bytes

    def __lt__(self, other):
        return self.bytes < other.bytes

    def __hash__(self):
        return hash(self.bytes)


def _from_digest(digest, version):
    return UUID(bytes=digest[:16], version=version)


def uuid3(namespace, name):
    if isinstance(name, str):
        name = name.encode("utf-8")
    return _from_digest(hashlib.md5(namespace.bytes + name).digest(), 3)


def uuid5(namespace, name):
    if isinstance(name, str):
        name = name.encode("utf-8")
    return _from_digest(hashlib.sha1(namespace.bytes + name).digest(), 5)


_rng = None


def _nl_after_restore():
    """Called by the runtime when an invocation starts from the state the
    function's initialisation left (vm::WarmStart): uuid4() seeds a fresh
    generator from the clock on its next call."""
    global _rng
    _rng = None


def uuid4():
    global _rng
    if _rng is None:
        # A generator of its own: uuid4() leaves random's sequence alone,
        # as CPython's (which reads os.urandom) does.
        _rng = _random.Random()
    words = [_rng.getrandbits(32) for _ in range(4)]
    raw = []
    for w in words:
        raw.extend([(w >> 24) & 255, (w >> 16) & 255, (w >> 8) & 255, w & 255])
    return UUID(bytes=_bytes(raw), version=4)


NAMESPACE_DNS = UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
NAMESPACE_URL = UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
NAMESPACE_OID = UUID("6ba7b812-9dad-11d1-80b4-00c04fd430c8")
NAMESPACE_X500 = UUID("6ba7b814-9dad-11d1-80b4-00c04fd430c8")
