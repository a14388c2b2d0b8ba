"""io for nanolambda: in-memory streams, `StringIO` and `BytesIO` (building
CSV reports, reading an S3 body line by line), following CPython 3.11's
results for `write`, `read`, `readline`, `readlines`, iteration, `seek`,
`tell`, `truncate`, `getvalue` and `close`. StringIO keeps text as given
(CPython's default `newline="\\n"`: no newline translation). There is no
file system, so no `open`."""

SEEK_SET = 0
SEEK_CUR = 1
SEEK_END = 2


class UnsupportedOperation(OSError):
    pass


class _Memory:
    def __init__(self, initial, empty, kind):
        if initial is None:
            initial = empty
        if not isinstance(initial, type(empty)):
            if kind == "str":
                raise TypeError(
                    "initial_value must be str or None, not %s" % type(initial).__name__
                )
            raise TypeError("a bytes-like object is required, not '%s'" % type(initial).__name__)
        self._buf = initial
        self._pos = 0
        self._empty = empty
        self._kind = kind
        self.closed = False

    def _check(self):
        if self.closed:
            raise ValueError("I/O operation on closed file.")

    def getvalue(self):
        self._check()
        return self._buf

    def write(self, s):
        self._check()
        if not isinstance(s, type(self._empty)):
            if self._kind == "str":
                raise TypeError("string argument expected, got '%s'" % type(s).__name__)
            raise TypeError("a bytes-like object is required, not '%s'" % type(s).__name__)
        n = len(s)
        if n == 0:
            return 0
        buf = self._buf
        if self._pos > len(buf):
            buf = buf + self._pad(self._pos - len(buf))
        self._buf = buf[:self._pos] + s + buf[self._pos + n:]
        self._pos += n
        return n

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def read(self, size=-1):
        self._check()
        if size is None or size < 0:
            end = len(self._buf)
        else:
            end = min(len(self._buf), self._pos + size)
        start = min(self._pos, len(self._buf))
        out = self._buf[start:end]
        self._pos = max(self._pos, end)
        return out

    def readline(self, size=-1):
        self._check()
        buf = self._buf
        start = min(self._pos, len(buf))
        nl = buf.find(self._newline, start)
        end = len(buf) if nl < 0 else nl + 1
        if size is not None and size >= 0:
            end = min(end, start + size)
        self._pos = max(self._pos, end)
        return buf[start:end]

    def readlines(self, hint=-1):
        out = []
        total = 0
        while True:
            line = self.readline()
            if not line:
                return out
            out.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                return out

    def __iter__(self):
        self._check()
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def seek(self, pos, whence=0):
        self._check()
        if whence == 0:
            if pos < 0:
                raise ValueError("Negative seek position %d" % pos)
            self._pos = pos
        elif whence == 1:
            self._pos = max(0, self._pos + pos)
        elif whence == 2:
            self._pos = max(0, len(self._buf) + pos)
        else:
            raise ValueError("Invalid whence (%d, should be 0, 1 or 2)" % whence)
        return self._pos

    def tell(self):
        self._check()
        return self._pos

    def truncate(self, size=None):
        self._check()
        if size is None:
            size = self._pos
        if size < 0:
            raise ValueError("Negative size value %d" % size)
        self._buf = self._buf[:size]
        return size

    def readable(self):
        self._check()
        return True

    def writable(self):
        self._check()
        return True

    def seekable(self):
        self._check()
        return True

    def flush(self):
        self._check()

    def close(self):
        self.closed = True

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *args):
        self.close()


class StringIO(_Memory):
    _newline = "\n"

    def __init__(self, initial_value="", newline="\n"):
        super().__init__(initial_value, "", "str")

    def _pad(self, n):
        return "\0" * n


class BytesIO(_Memory):
    _newline = b"\n"

    def __init__(self, initial_bytes=b""):
        super().__init__(initial_bytes, b"", "bytes")

    def _pad(self, n):
        return b"\0" * n
