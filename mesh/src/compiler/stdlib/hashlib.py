"""hashlib for nanolambda functions: md5, sha1, sha224, sha256, sha384 and
sha512 in Python (FIPS 180-4, RFC 1321), with CPython's interface: new(), update(),
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


_M64 = 0xFFFFFFFFFFFFFFFF


def _k512():
    # The first 64 bits of the fractional parts of the cube roots of the
    # first 80 primes (FIPS 180-4, 4.2.3); made on first use.
    return (
        0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
        0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
        0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
        0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
        0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
        0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
        0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
        0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
        0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
        0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
        0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
        0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
        0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
        0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
        0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
        0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
        0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
        0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
        0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
        0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
    )


_K512 = None


def _rotr64(x, n):
    return ((x >> n) | (x << (64 - n))) & _M64


class _SHA512(_Hash):
    name = "sha512"
    digest_size = 64
    block_size = 128
    _INIT = [
             0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
             0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179
    ]

    def update(self, data):
        data = self._buf + _data(data)
        self._len += len(data) - len(self._buf)
        n = len(data) - len(data) % 128
        for i in range(0, n, 128):
            self._compress(data[i:i + 128])
        self._buf = data[n:]

    def _compress(self, block):
        global _K512
        if _K512 is None:
            _K512 = _k512()
        k = _K512
        w = [int.from_bytes(block[i:i + 8], "big") for i in range(0, 128, 8)]
        for t in range(16, 80):
            x = w[t - 15]
            y = w[t - 2]
            s0 = _rotr64(x, 1) ^ _rotr64(x, 8) ^ (x >> 7)
            s1 = _rotr64(y, 19) ^ _rotr64(y, 61) ^ (y >> 6)
            w.append((w[t - 16] + s0 + w[t - 7] + s1) & _M64)
        a, b, c, d, e, f, g, h = self._h
        for t in range(80):
            s1 = _rotr64(e, 14) ^ _rotr64(e, 18) ^ _rotr64(e, 41)
            ch = (e & f) ^ ((e ^ _M64) & g)
            t1 = (h + s1 + ch + k[t] + w[t]) & _M64
            s0 = _rotr64(a, 28) ^ _rotr64(a, 34) ^ _rotr64(a, 39)
            maj = (a & b) ^ (a & c) ^ (b & c)
            t2 = (s0 + maj) & _M64
            h, g, f, e, d, c, b, a = g, f, e, (d + t1) & _M64, c, b, a, (t1 + t2) & _M64
        self._h = [(x + y) & _M64 for x, y in zip(self._h, [a, b, c, d, e, f, g, h])]

    def _final(self, little):
        bits = self._len * 8
        pad = bytes([0x80] + [0] * ((111 - self._len) % 128)) + bits.to_bytes(16, "big")
        h = self.copy()
        tail = self._buf + pad
        for i in range(0, len(tail), 128):
            h._compress(tail[i:i + 128])
        return h._h

    def digest(self):
        out = b"".join(w.to_bytes(8, "big") for w in self._final(False))
        return out[:self.digest_size]


class _SHA384(_SHA512):
    name = "sha384"
    digest_size = 48
    _INIT = [
             0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
             0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4
    ]


def md5(data=b"", *, usedforsecurity=True):
    return _MD5(data)


def sha1(data=b"", *, usedforsecurity=True):
    return _SHA1(data)


def sha224(data=b"", *, usedforsecurity=True):
    return _SHA224(data)


def sha256(data=b"", *, usedforsecurity=True):
    return _SHA256(data)


def sha384(data=b"", *, usedforsecurity=True):
    return _SHA384(data)


def sha512(data=b"", *, usedforsecurity=True):
    return _SHA512(data)


_CONSTRUCTORS = {"md5": md5, "sha1": sha1, "sha224": sha224, "sha256": sha256,
                 "sha384": sha384, "sha512": sha512}
algorithms_guaranteed = set(_CONSTRUCTORS)
algorithms_available = set(_CONSTRUCTORS)


def new(name, data=b"", **kwargs):
    f = _CONSTRUCTORS.get(name.lower())
    if f is None:
        raise ValueError("unsupported hash type " + name)
    return f(data)
