"""hmac for nanolambda: CPython 3.11's HMAC (RFC 2104) over the bundled
hashlib (md5, sha1, sha224, sha256): `new`, `digest`, `compare_digest`
and `HMAC` with `update`, `copy`, `digest`, `hexdigest`, `name`,
`digest_size`, `block_size` (webhook signatures, signed URLs)."""

import hashlib as _hashlib

digest_size = None


def _xor_pad(key, pad):
    return bytes([b ^ pad for b in key])


def _constructor(digestmod):
    if callable(digestmod):
        return digestmod
    if isinstance(digestmod, str):
        return lambda d=b"": _hashlib.new(digestmod, d)
    return lambda d=b"": digestmod.new(d)


class HMAC:
    blocksize = 64

    def __init__(self, key, msg=None, digestmod="", _copy_of=None):
        if _copy_of is not None:
            self.digest_size = _copy_of.digest_size
            self.block_size = _copy_of.block_size
            self._inner = _copy_of._inner.copy()
            self._outer = _copy_of._outer.copy()
            return
        if type(key).__name__ in ("bytearray", "memoryview"):
            key = bytes(key)
        if not isinstance(key, bytes):
            raise TypeError(
                "key: expected bytes or bytearray, but got %r" % type(key).__name__
            )
        if not digestmod:
            raise TypeError("Missing required parameter 'digestmod'.")
        self._init(key, msg, _constructor(digestmod))

    def _init(self, key, msg, digest_cons):
        self._outer = digest_cons()
        self._inner = digest_cons()
        self.digest_size = self._inner.digest_size
        blocksize = self._inner.block_size
        if len(key) > blocksize:
            key = digest_cons(key).digest()
        self.block_size = blocksize
        key = key + b"\x00" * (blocksize - len(key))
        self._outer.update(_xor_pad(key, 0x5C))
        self._inner.update(_xor_pad(key, 0x36))
        if msg is not None:
            self.update(msg)

    @property
    def name(self):
        return "hmac-" + self._inner.name

    def update(self, msg):
        self._inner.update(msg)

    def copy(self):
        return HMAC(b"", _copy_of=self)

    def _current(self):
        h = self._outer.copy()
        h.update(self._inner.digest())
        return h

    def digest(self):
        return self._current().digest()

    def hexdigest(self):
        return self._current().hexdigest()


def new(key, msg=None, digestmod=""):
    return HMAC(key, msg, digestmod)


def digest(key, msg, digest):
    return HMAC(key, msg, digest).digest()


def compare_digest(a, b):
    if isinstance(a, str) and isinstance(b, str):
        for s in (a, b):
            for c in s:
                if ord(c) > 127:
                    raise TypeError(
                        "comparing strings with non-ASCII characters is not supported"
                    )
        a = a.encode("ascii")
        b = b.encode("ascii")
    elif not (isinstance(a, bytes) and isinstance(b, bytes)):
        raise TypeError(
            "unsupported operand types(s) or combination of types: '%s' and '%s'"
            % (type(a).__name__, type(b).__name__)
        )
    result = len(a) ^ len(b)
    if len(a) != len(b):
        b = a
    for x, y in zip(a, b):
        result |= x ^ y
    return result == 0
