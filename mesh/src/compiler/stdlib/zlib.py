"""zlib for nanolambda: decompression (RFC 1950/1951/1952 inflate in pure
Python, for CloudWatch Logs subscriptions and gzip'd payloads):
`decompress(data, wbits=MAX_WBITS, bufsize=...)` with zlib, raw deflate,
gzip and automatic header detection as CPython's `wbits` selects them,
`crc32`, `adler32`, `error` and the constants. Compression is not
provided (`compress` and `compressobj` are absent)."""

from binascii import crc32

MAX_WBITS = 15
DEFLATED = 8
DEF_BUF_SIZE = 16384
ZLIB_VERSION = "1.2.13"


class error(Exception):
    pass


def adler32(data, value=1):
    a = value & 0xFFFF
    b = (value >> 16) & 0xFFFF
    for byte in data:
        a = (a + byte) % 65521
        b = (b + a) % 65521
    return (b << 16) | a


_LBASE = (3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
          115, 131, 163, 195, 227, 258)
_LEXT = (0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0)
_DBASE = (1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
          1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577)
_DEXT = (0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
         13, 13)
_ORDER = (16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15)


def _fail(msg):
    raise error("Error -3 while decompressing data: " + msg)


def _truncated():
    raise error("Error -5 while decompressing data: incomplete or truncated stream")


class _Inflater:
    def __init__(self, data, pos):
        self.data = data
        self.pos = pos
        self.bitbuf = 0
        self.bitcnt = 0
        self.out = []

    def bits(self, need):
        while self.bitcnt < need:
            if self.pos >= len(self.data):
                _truncated()
            self.bitbuf |= self.data[self.pos] << self.bitcnt
            self.pos += 1
            self.bitcnt += 8
        value = self.bitbuf & ((1 << need) - 1)
        self.bitbuf >>= need
        self.bitcnt -= need
        return value

    def stored(self):
        self.bitbuf = 0
        self.bitcnt = 0
        if self.pos + 4 > len(self.data):
            _truncated()
        d = self.data
        length = d[self.pos] | (d[self.pos + 1] << 8)
        nlength = d[self.pos + 2] | (d[self.pos + 3] << 8)
        if length != (~nlength & 0xFFFF):
            _fail("invalid stored block lengths")
        self.pos += 4
        if self.pos + length > len(d):
            _truncated()
        self.out.extend(d[self.pos:self.pos + length])
        self.pos += length

    def decode(self, table, what="code"):
        counts, symbols = table
        code = 0
        first = 0
        index = 0
        for length in range(1, 16):
            code |= self.bits(1)
            count = counts[length]
            if code - count < first:
                return symbols[index + (code - first)]
            index += count
            first += count
            first <<= 1
            code <<= 1
        _fail("invalid " + what)

    def codes(self, lencode, distcode):
        out = self.out
        while True:
            symbol = self.decode(lencode, "literal/length code")
            if symbol < 256:
                out.append(symbol)
            elif symbol == 256:
                return
            else:
                symbol -= 257
                if symbol >= 29:
                    _fail("invalid literal/length code")
                length = _LBASE[symbol] + self.bits(_LEXT[symbol])
                dsym = self.decode(distcode, "distance code")
                if dsym >= 30:
                    _fail("invalid distance code")
                dist = _DBASE[dsym] + self.bits(_DEXT[dsym])
                if dist > len(out):
                    _fail("invalid distance too far back")
                start = len(out) - dist
                for i in range(length):
                    out.append(out[start + i])

    def dynamic(self):
        nlen = self.bits(5) + 257
        ndist = self.bits(5) + 1
        ncode = self.bits(4) + 4
        if nlen > 286 or ndist > 30:
            _fail("too many length or distance symbols")
        lengths = [0] * 19
        for i in range(ncode):
            lengths[_ORDER[i]] = self.bits(3)
        lencode = _build(lengths, True)
        if lencode is None:
            _fail("invalid code lengths set")
        lengths = []
        while len(lengths) < nlen + ndist:
            symbol = self.decode(lencode, "code lengths set")
            if symbol < 16:
                lengths.append(symbol)
                continue
            if symbol == 16:
                if not lengths:
                    _fail("invalid bit length repeat")
                value = lengths[-1]
                repeat = 3 + self.bits(2)
            elif symbol == 17:
                value = 0
                repeat = 3 + self.bits(3)
            else:
                value = 0
                repeat = 11 + self.bits(7)
            if len(lengths) + repeat > nlen + ndist:
                _fail("invalid bit length repeat")
            lengths.extend([value] * repeat)
        if lengths[256] == 0:
            _fail("invalid code -- missing end-of-block")
        litcode = _build(lengths[:nlen])
        distcode = _build(lengths[nlen:])
        if litcode is None:
            _fail("invalid literal/lengths set")
        if distcode is None:
            _fail("invalid distances set")
        self.codes(litcode, distcode)

    def run(self):
        while True:
            last = self.bits(1)
            kind = self.bits(2)
            if kind == 0:
                self.stored()
            elif kind == 1:
                self.codes(_FIXED_LIT, _FIXED_DIST)
            elif kind == 2:
                self.dynamic()
            else:
                _fail("invalid block type")
            if last:
                return


def _build(lengths, complete=False, fixed=False):
    """Canonical Huffman table (counts per length, symbols by code), or
    None for an over-subscribed set or, as zlib's inflate_table, an
    incomplete one (allowed for a set whose longest code has length 1,
    unless `complete`; the fixed tables are built as they are)."""
    counts = [0] * 16
    for n in lengths:
        counts[n] += 1
    if counts[0] == len(lengths):
        return counts, []
    left = 1
    longest = 0
    for n in range(1, 16):
        left <<= 1
        left -= counts[n]
        if left < 0:
            return None
        if counts[n]:
            longest = n
    if left > 0 and not fixed and (complete or longest != 1):
        return None
    offs = [0] * 16
    for n in range(1, 15):
        offs[n + 1] = offs[n] + counts[n]
    symbols = [0] * len(lengths)
    for symbol, n in enumerate(lengths):
        if n:
            symbols[offs[n]] = symbol
            offs[n] += 1
    return counts, symbols


_FIXED_LIT = _build([8] * 144 + [9] * 112 + [7] * 24 + [8] * 8, fixed=True)
_FIXED_DIST = _build([5] * 30, fixed=True)


def _inflate(data, pos):
    inf = _Inflater(data, pos)
    inf.run()
    return bytes(inf.out), inf.pos


def _zlib_stream(data):
    if len(data) < 2:
        _truncated()
    cmf, flg = data[0], data[1]
    if (cmf * 256 + flg) % 31:
        _fail("incorrect header check")
    if cmf & 0x0F != 8:
        _fail("unknown compression method")
    if (cmf >> 4) + 8 > 15:
        _fail("invalid window size")
    if flg & 0x20:
        raise error("Error 2 while decompressing data")
    out, pos = _inflate(data, 2)
    if pos + 4 > len(data):
        _truncated()
    check = int.from_bytes(data[pos:pos + 4], "big")
    if check != adler32(out):
        _fail("incorrect data check")
    return out


def _gzip_member(data, pos):
    """(bytes, next position) of the gzip member at `pos`."""
    if len(data) - pos < 10:
        _truncated()
    if data[pos] != 0x1F or data[pos + 1] != 0x8B:
        _fail("incorrect header check")
    if data[pos + 2] != 8:
        _fail("unknown compression method")
    flags = data[pos + 3]
    p = pos + 10
    if flags & 4:
        if p + 2 > len(data):
            _truncated()
        p += 2 + (data[p] | (data[p + 1] << 8))
    for bit in (8, 16):
        if flags & bit:
            end = data.find(b"\x00", p)
            if end < 0:
                _truncated()
            p = end + 1
    if flags & 2:
        p += 2
    out, p = _inflate(data, p)
    if p + 8 > len(data):
        _truncated()
    if int.from_bytes(data[p:p + 4], "little") != crc32(out):
        _fail("incorrect data check")
    if int.from_bytes(data[p + 4:p + 8], "little") != len(out) & 0xFFFFFFFF:
        _fail("incorrect length check")
    return out, p + 8


def decompress(data, /, wbits=MAX_WBITS, bufsize=DEF_BUF_SIZE):
    data = bytes(data)
    if 8 <= wbits <= 15 or wbits == 0:
        return _zlib_stream(data)
    if -15 <= wbits <= -8:
        return _inflate(data, 0)[0]
    if 24 <= wbits <= 31:
        return _gzip_member(data, 0)[0]
    if 40 <= wbits <= 47:
        if data[:2] == b"\x1f\x8b":
            return _gzip_member(data, 0)[0]
        return _zlib_stream(data)
    raise error("Error -2 while preparing to decompress data: inconsistent stream state")
