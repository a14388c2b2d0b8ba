"""hashlib for nanolambda functions: md5, sha1, sha224 and sha256 in Python
(FIPS 180-4, RFC 1321), with CPython's interface: new(), update(),
digest(), hexdigest(), copy(), name, digest_size, block_size. Fine for
checksums of event-sized data; pure Python is slow for megabytes."""

_M32 = 0xFFFFFFFF

_K256 = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]

_MD5_S = [7, 12, 17, 22] * 4 + [5, 9, 14, 20] * 4 + [4, 11, 16, 23] * 4 + [6, 10, 15, 21] * 4
_MD5_K = None


def _md5_k():
    # floor(abs(sin(i + 1)) * 2**32), as RFC 1321 defines them.
    import math
    return [int(abs(math.sin(i + 1)) * 4294967296.0) & _M32 for i in range(64)]


def _rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & _M32


def _rotr(x, n):
    return ((x >> n) | (x << (32 - n))) & _M32


def _be_words(block):
    return [(block[i] << 24) | (block[i + 1] << 16) | (block[i + 2] << 8) | block[i + 3]
            for i in range(0, 64, 4)]


def _le_words(block):
    return [block[i] | (block[i + 1] << 8) | (block[i + 2] << 16) | (block[i + 3] << 24)
            for i in range(0, 64, 4)]


def _data(data):
    if isinstance(data, bytes):
        return data
    if type(data).__name__ in ("bytearray", "memoryview"):
        return bytes(data)
    if isinstance(data, str):
        raise TypeError("Strings must be encoded before hashing")
    raise TypeError("object supporting the buffer API required")


class _Hash:
    block_size = 64

    def __init__(self, data=b""):
        self._h = list(self._INIT)
        self._buf = b""
        self._len = 0
        if data:
            self.update(data)

    def update(self, data):
        data = self._buf + _data(data)
        self._len += len(data) - len(self._buf)
        n = len(data) - len(data) % 64
        for i in range(0, n, 64):
            self._compress(data[i:i + 64])
        self._buf = data[n:]

    def copy(self):
        c = type(self)()
        c._h = list(self._h)
        c._buf = self._buf
        c._len = self._len
        return c

    def _final(self, little):
        bits = self._len * 8
        pad = [0x80] + [0] * ((55 - self._len) % 64)
        if little:
            pad.extend((bits >> (8 * i)) & 255 for i in range(8))
        else:
            pad.extend((bits >> (8 * (7 - i))) & 255 for i in range(8))
        h = self.copy()
        tail = self._buf + bytes(pad)
        for i in range(0, len(tail), 64):
            h._compress(tail[i:i + 64])
        return h._h

    def digest(self):
        out = []
        for w in self._final(self._little)[:self.digest_size // 4]:
            if self._little:
                out.extend([w & 255, (w >> 8) & 255, (w >> 16) & 255, (w >> 24) & 255])
            else:
                out.extend([(w >> 24) & 255, (w >> 16) & 255, (w >> 8) & 255, w & 255])
        return bytes(out)

    def hexdigest(self):
        return self.digest().hex()


class _SHA256(_Hash):
    name = "sha256"
    digest_size = 32
    _little = False
    _INIT = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]

    def _compress(self, block):
        w = _be_words(block)
        for t in range(16, 64):
            x = w[t - 15]
            y = w[t - 2]
            s0 = _rotr(x, 7) ^ _rotr(x, 18) ^ (x >> 3)
            s1 = _rotr(y, 17) ^ _rotr(y, 19) ^ (y >> 10)
            w.append((w[t - 16] + s0 + w[t - 7] + s1) & _M32)
        a, b, c, d, e, f, g, h = self._h
        for t in range(64):
            s1 = _rotr(e, 6) ^ _rotr(e, 11) ^ _rotr(e, 25)
            ch = (e & f) ^ (~e & g)
            t1 = (h + s1 + ch + _K256[t] + w[t]) & _M32
            s0 = _rotr(a, 2) ^ _rotr(a, 13) ^ _rotr(a, 22)
            maj = (a & b) ^ (a & c) ^ (b & c)
            t2 = (s0 + maj) & _M32
            h, g, f, e, d, c, b, a = g, f, e, (d + t1) & _M32, c, b, a, (t1 + t2) & _M32
        self._h = [(x + y) & _M32 for x, y in zip(self._h, [a, b, c, d, e, f, g, h])]


class _SHA224(_SHA256):
    name = "sha224"
    digest_size = 28
    _INIT = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939,
             0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4]


class _SHA1(_Hash):
    name = "sha1"
    digest_size = 20
    _little = False
    _INIT = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]

    def _compress(self, block):
        w = _be_words(block)
        for t in range(16, 80):
            w.append(_rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1))
        a, b, c, d, e = self._h
        for t in range(80):
            if t < 20:
                f = (b & c) | (~b & d)
                k = 0x5A827999
            elif t < 40:
                f = b ^ c ^ d
                k = 0x6ED9EBA1
            elif t < 60:
                f = (b & c) | (b & d) | (c & d)
                k = 0x8F1BBCDC
            else:
                f = b ^ c ^ d
                k = 0xCA62C1D6
            tmp = (_rotl(a, 5) + (f & _M32) + e + k + w[t]) & _M32
            e, d, c, b, a = d, c, _rotl(b, 30), a, tmp
        self._h = [(x + y) & _M32 for x, y in zip(self._h, [a, b, c, d, e])]


class _MD5(_Hash):
    name = "md5"
    digest_size = 16
    _little = True
    _INIT = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]

    def _compress(self, block):
        global _MD5_K
        if _MD5_K is None:
            _MD5_K = _md5_k()
        m = _le_words(block)
        a, b, c, d = self._h
        for i in range(64):
            if i < 16:
                f = (b & c) | (~b & d)
                g = i
            elif i < 32:
                f = (d & b) | (~d & c)
                g = (5 * i + 1) % 16
            elif i < 48:
                f = b ^ c ^ d
                g = (3 * i + 5) % 16
            else:
                f = c ^ (b | (~d & _M32))
                g = (7 * i) % 16
            f = (f + a + _MD5_K[i] + m[g]) & _M32
            a, d, c = d, c, b
            b = (b + _rotl(f, _MD5_S[i])) & _M32
        self._h = [(x + y) & _M32 for x, y in zip(self._h, [a, b, c, d])]


def md5(data=b"", *, usedforsecurity=True):
    return _MD5(data)


def sha1(data=b"", *, usedforsecurity=True):
    return _SHA1(data)


def sha224(data=b"", *, usedforsecurity=True):
    return _SHA224(data)


def sha256(data=b"", *, usedforsecurity=True):
    return _SHA256(data)


_CONSTRUCTORS = {"md5": md5, "sha1": sha1, "sha224": sha224, "sha256": sha256}
algorithms_guaranteed = set(_CONSTRUCTORS)
algorithms_available = set(_CONSTRUCTORS)


def new(name, data=b"", **kwargs):
    f = _CONSTRUCTORS.get(name.lower())
    if f is None:
        raise ValueError("unsupported hash type " + name)
    return f(data)
