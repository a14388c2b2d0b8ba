"""gzip for nanolambda: `gzip.decompress` (CPython 3.11's member loop,
checks and errors) over the bundled zlib's inflate, for CloudWatch Logs
subscription data and gzip'd S3 objects. Compression and `GzipFile` are
not provided."""

import zlib


class BadGzipFile(OSError):
    pass


def _header_end(data, pos):
    """Where the deflate data of the member at `pos` starts, or None at the
    end of the input."""
    magic = data[pos:pos + 2]
    if magic == b"":
        return None
    if magic != b"\x1f\x8b":
        raise BadGzipFile("Not a gzipped file (%r)" % magic)
    if len(data) < pos + 10:
        raise EOFError("Compressed file ended before the end-of-stream marker was reached")
    if data[pos + 2] != 8:
        raise BadGzipFile("Unknown compression method")
    flag = data[pos + 3]
    p = pos + 10
    if flag & 4:
        if len(data) < p + 2:
            raise EOFError("Compressed file ended before the end-of-stream marker was reached")
        p += 2 + (data[p] | (data[p + 1] << 8))
    for bit in (8, 16):
        if flag & bit:
            end = data.find(b"\x00", p)
            if end < 0:
                raise EOFError("Compressed file ended before the end-of-stream marker was reached")
            p = end + 1
    if flag & 2:
        p += 2
    if p > len(data):
        raise EOFError("Compressed file ended before the end-of-stream marker was reached")
    return p


def decompress(data):
    data = bytes(data)
    members = []
    pos = 0
    while True:
        start = _header_end(data, pos)
        if start is None:
            return b"".join(members)
        try:
            out, p = zlib._inflate(data, start)
        except zlib.error as e:
            if "incomplete or truncated" in str(e):
                raise EOFError(
                    "Compressed file ended before the end-of-stream marker was reached"
                ) from None
            raise
        if len(data) < p + 8:
            raise EOFError("Compressed file ended before the end-of-stream marker was reached")
        if int.from_bytes(data[p:p + 4], "little") != zlib.crc32(out):
            raise BadGzipFile("CRC check failed")
        if int.from_bytes(data[p + 4:p + 8], "little") != (len(out) & 0xFFFFFFFF):
            raise BadGzipFile("Incorrect length of data produced")
        members.append(out)
        pos = p + 8
        while pos < len(data) and data[pos] == 0:
            pos += 1
