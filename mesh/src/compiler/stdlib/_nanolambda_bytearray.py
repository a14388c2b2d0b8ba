"""bytearray and memoryview for nanolambda functions: CPython 3.11's
mutable bytes type and a read-only view, linked into a package whose code
names them (the compiler loads those names from this module, stdlib.rs
BYTEARRAY_SUPPORT).

A bytearray keeps its bytes as a list of ints in `_b`. Implemented: the
constructor forms (nothing, a count, bytes/bytearray/an iterable of ints,
str with an encoding), fromhex; indexing, slicing (a bytearray), item and
slice assignment and deletion; len, iteration, `in` (an int or a bytes
run); + * += *= (also with bytes on either side); == < <= > >= with bytes
and bytearrays; append, extend, insert, pop, remove, clear, copy, reverse;
and the bytes methods (hex, decode, count, find, rfind, index, rindex,
startswith, endswith, split, rsplit, strip, lstrip, rstrip, replace, join,
upper, lower, partition, rpartition, isdigit/isalpha/..., splitlines), whose
bytes results are bytearrays like CPython's. bytes(ba), int.from_bytes,
struct.unpack_from/pack_into and hashlib take it through iteration and
indexing. It is unhashable; json.dumps refuses it like CPython.

Differences: no buffer protocol (memoryview(ba) does not see later
changes), and `type(ba).__module__` is not "builtins"."""


def _byte(v):
    if isinstance(v, bool) or not isinstance(v, int):
        if hasattr(v, "__index__") and not isinstance(v, (str, float)):
            v = v.__index__()
        else:
            raise TypeError("'%s' object cannot be interpreted as an integer" % type(v).__name__)
    if not 0 <= v <= 255:
        raise ValueError("byte must be in range(0, 256)")
    return v


def _ints(data):
    """The byte values of a bytes-like argument."""
    if isinstance(data, bytearray):
        return list(data._b)
    if isinstance(data, bytes):
        return list(data)
    if isinstance(data, str):
        raise TypeError("can't concat str to bytearray")
    if isinstance(data, int):
        raise TypeError("can't concat int to bytearray")
    return [_byte(x) for x in data]


def _buffer(data, what="a bytes-like object is required, not '%s'"):
    if isinstance(data, bytearray):
        return bytes(data._b)
    if isinstance(data, bytes):
        return data
    raise TypeError(what % type(data).__name__)


def _wrap(v):
    if isinstance(v, bytes):
        return bytearray(v)
    if isinstance(v, list):
        return [_wrap(x) for x in v]
    if isinstance(v, tuple):
        return tuple(_wrap(x) for x in v)
    return v


class bytearray:
    __hash__ = None

    def __init__(self, source=None, encoding=None, errors="strict"):
        if source is None:
            if encoding is not None:
                raise TypeError("encoding without a string argument")
            self._b = []
        elif isinstance(source, str):
            if encoding is None:
                raise TypeError("string argument without an encoding")
            self._b = list(source.encode(encoding, errors))
        elif encoding is not None:
            raise TypeError("encoding without a string argument")
        elif isinstance(source, bool) or isinstance(source, int):
            if source < 0:
                raise ValueError("negative count")
            self._b = [0] * source
        elif isinstance(source, bytearray):
            self._b = list(source._b)
        elif isinstance(source, bytes):
            self._b = list(source)
        elif isinstance(source, float):
            raise TypeError("cannot convert 'float' object to bytearray")
        else:
            self._b = [_byte(x) for x in source]

    @classmethod
    def fromhex(cls, text):
        return cls(bytes.fromhex(text))

    # -- sequence protocol --
    def __len__(self):
        return len(self._b)

    def __iter__(self):
        return iter(self._b)

    def __reversed__(self):
        return reversed(self._b)

    def __getitem__(self, index):
        if isinstance(index, slice):
            out = bytearray()
            out._b = self._b[index]
            return out
        try:
            return self._b[index]
        except IndexError:
            raise IndexError("bytearray index out of range") from None
        except TypeError:
            raise TypeError("bytearray indices must be integers or slices, not %s" % type(index).__name__) from None

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            if isinstance(value, int):
                raise TypeError("can assign only bytes, buffers, or iterables of ints in range(0, 256)")
            self._b[index] = _ints(value)
            return
        if not isinstance(index, int):
            raise TypeError("bytearray indices must be integers or slices, not %s" % type(index).__name__)
        try:
            self._b[index] = _byte(value)
        except IndexError:
            raise IndexError("bytearray index out of range") from None

    def __delitem__(self, index):
        try:
            del self._b[index]
        except IndexError:
            raise IndexError("bytearray index out of range") from None

    def __contains__(self, item):
        if isinstance(item, int):
            return _byte(item) in self._b
        return _buffer(item) in bytes(self._b)

    # -- operators --
    def __add__(self, other):
        out = bytearray()
        out._b = self._b + _ints(other)
        return out

    def __radd__(self, other):
        if isinstance(other, bytes):
            return other + bytes(self._b)
        return NotImplemented

    def __iadd__(self, other):
        self._b.extend(_ints(other))
        return self

    def __mul__(self, n):
        if not isinstance(n, int):
            raise TypeError("can't multiply sequence by non-int of type '%s'" % type(n).__name__)
        out = bytearray()
        out._b = self._b * n
        return out

    __rmul__ = __mul__

    def __imul__(self, n):
        if not isinstance(n, int):
            raise TypeError("can't multiply sequence by non-int of type '%s'" % type(n).__name__)
        self._b = self._b * n
        return self

    def __mod__(self, args):
        return bytearray(bytes(self._b) % args)

    def _other(self, other):
        if isinstance(other, bytearray):
            return other._b
        if isinstance(other, bytes):
            return list(other)
        return None

    def __eq__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else self._b == o

    def __ne__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else self._b != o

    def __lt__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else self._b < o

    def __le__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else self._b <= o

    def __gt__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else self._b > o

    def __ge__(self, other):
        o = self._other(other)
        return NotImplemented if o is None else self._b >= o

    def __bool__(self):
        return len(self._b) > 0

    def __repr__(self):
        return "bytearray(" + repr(bytes(self._b)) + ")"

    __str__ = __repr__

    def __bytes__(self):
        return bytes(self._b)

    # -- mutation --
    def append(self, item):
        self._b.append(_byte(item))

    def extend(self, iterable):
        if isinstance(iterable, str):
            raise TypeError("expected iterable of integers; got: 'str'")
        self._b.extend(_ints(iterable))

    def insert(self, index, item):
        self._b.insert(index, _byte(item))

    def pop(self, index=-1):
        if not self._b:
            raise IndexError("pop from empty bytearray")
        try:
            return self._b.pop(index)
        except IndexError:
            raise IndexError("pop index out of range") from None

    def remove(self, value):
        v = _byte(value)
        if v not in self._b:
            raise ValueError("value not found in bytearray")
        self._b.remove(v)

    def clear(self):
        self._b.clear()

    def copy(self):
        return bytearray(self)

    def reverse(self):
        self._b.reverse()

    # -- bytes methods (results that are bytes become bytearrays) --
    def _bytes(self):
        return bytes(self._b)

    def hex(self, *args):
        return self._bytes().hex(*args)

    def decode(self, encoding="utf-8", errors="strict"):
        return self._bytes().decode(encoding, errors)

    def _sub(self, sub):
        return bytes([_byte(sub)]) if isinstance(sub, int) else _buffer(sub)

    def count(self, sub, *args):
        return self._bytes().count(self._sub(sub), *args)

    def find(self, sub, *args):
        return self._bytes().find(self._sub(sub), *args)

    def rfind(self, sub, *args):
        return self._bytes().rfind(self._sub(sub), *args)

    def index(self, sub, *args):
        i = self._bytes().find(self._sub(sub), *args)
        if i < 0:
            raise ValueError("subsection not found")
        return i

    def rindex(self, sub, *args):
        i = self._bytes().rfind(self._sub(sub), *args)
        if i < 0:
            raise ValueError("subsection not found")
        return i

    def startswith(self, prefix, *args):
        if isinstance(prefix, tuple):
            prefix = tuple(_buffer(p) for p in prefix)
        else:
            prefix = _buffer(prefix, "startswith first arg must be bytes or a tuple of bytes, not %s")
        return self._bytes().startswith(prefix, *args)

    def endswith(self, suffix, *args):
        if isinstance(suffix, tuple):
            suffix = tuple(_buffer(p) for p in suffix)
        else:
            suffix = _buffer(suffix, "endswith first arg must be bytes or a tuple of bytes, not %s")
        return self._bytes().endswith(suffix, *args)

    def split(self, sep=None, maxsplit=-1):
        return _wrap(self._bytes().split(None if sep is None else _buffer(sep), maxsplit))

    def rsplit(self, sep=None, maxsplit=-1):
        return _wrap(self._bytes().rsplit(None if sep is None else _buffer(sep), maxsplit))

    def splitlines(self, keepends=False):
        return _wrap(self._bytes().splitlines(keepends))

    def strip(self, chars=None):
        return _wrap(self._bytes().strip(None if chars is None else _buffer(chars)))

    def lstrip(self, chars=None):
        return _wrap(self._bytes().lstrip(None if chars is None else _buffer(chars)))

    def rstrip(self, chars=None):
        return _wrap(self._bytes().rstrip(None if chars is None else _buffer(chars)))

    def replace(self, old, new, count=-1):
        return _wrap(self._bytes().replace(_buffer(old), _buffer(new), count))

    def join(self, parts):
        return _wrap(self._bytes().join([_buffer(p, "sequence item: expected a bytes-like object, %s found") for p in parts]))

    def partition(self, sep):
        return _wrap(self._bytes().partition(_buffer(sep)))

    def rpartition(self, sep):
        return _wrap(self._bytes().rpartition(_buffer(sep)))

    def upper(self):
        return _wrap(self._bytes().upper())

    def lower(self):
        return _wrap(self._bytes().lower())

    def title(self):
        return _wrap(self._bytes().title())

    def capitalize(self):
        return _wrap(self._bytes().capitalize())

    def swapcase(self):
        return _wrap(self._bytes().swapcase())

    def zfill(self, width):
        return _wrap(self._bytes().zfill(width))

    def ljust(self, width, fill=b" "):
        return _wrap(self._bytes().ljust(width, _buffer(fill)))

    def rjust(self, width, fill=b" "):
        return _wrap(self._bytes().rjust(width, _buffer(fill)))

    def center(self, width, fill=b" "):
        return _wrap(self._bytes().center(width, _buffer(fill)))

    def removeprefix(self, prefix):
        return _wrap(self._bytes().removeprefix(_buffer(prefix)))

    def removesuffix(self, suffix):
        return _wrap(self._bytes().removesuffix(_buffer(suffix)))

    def isdigit(self):
        return self._bytes().isdigit()

    def isalpha(self):
        return self._bytes().isalpha()

    def isalnum(self):
        return self._bytes().isalnum()

    def isspace(self):
        return self._bytes().isspace()

    def isupper(self):
        return self._bytes().isupper()

    def islower(self):
        return self._bytes().islower()

    def isascii(self):
        return all(b < 128 for b in self._b)


class memoryview:
    """A read-only view of bytes as handlers use it: len, indexing,
    slicing (a memoryview), iteration, tobytes, tolist, hex, ==. A view of
    a bytearray sees its bytes as they were when the view was made."""

    __hash__ = None

    def __init__(self, obj):
        if isinstance(obj, memoryview):
            self._b = obj._b
        elif isinstance(obj, bytes):
            self._b = obj
        elif isinstance(obj, bytearray):
            self._b = bytes(obj._b)
        else:
            raise TypeError("memoryview: a bytes-like object is required, not '%s'" % type(obj).__name__)
        self.readonly = not isinstance(obj, bytearray)
        self.itemsize = 1
        self.format = "B"
        self.ndim = 1

    @property
    def nbytes(self):
        return len(self._b)

    @property
    def shape(self):
        return (len(self._b),)

    def __len__(self):
        return len(self._b)

    def __iter__(self):
        return iter(self._b)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return memoryview(self._b[index])
        try:
            return self._b[index]
        except IndexError:
            raise IndexError("index out of bounds on dimension 1") from None

    def __setitem__(self, index, value):
        raise TypeError("cannot modify read-only memory")

    def __eq__(self, other):
        if isinstance(other, memoryview):
            return self._b == other._b
        if isinstance(other, (bytes, bytearray)):
            return self._b == bytes(other)
        return NotImplemented

    def __bytes__(self):
        return self._b

    def tobytes(self, order=None):
        return self._b

    def tolist(self):
        return list(self._b)

    def hex(self, *args):
        return self._b.hex(*args)

    def release(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def __repr__(self):
        return "<memory>"
