"""sys for nanolambda functions: the attributes handlers read (maxsize,
version, version_info, platform, byteorder, argv, path, modules,
stdout/stderr with write() and flush(), exit(), getrecursionlimit()).
stdout and stderr write to the function's log (its print output);
sys.path and sys.modules are plain containers that change nothing."""

maxsize = 9223372036854775807
byteorder = "little"
platform = "linux"
version = "3.11.7 (nanolambda)"
version_info = (3, 11, 7, "final", 0)
hexversion = 0x030B07F0
implementation_name = "nanolambda"
argv = [""]
path = []
modules = {}
executable = ""
flags = None


class _Stream:
    def __init__(self, name):
        self.name = name
        self._pending = ""

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        text = self._pending + s
        lines = text.split("\n")
        self._pending = lines.pop()
        for line in lines:
            # file=None: straight to the log, even while redirect_stdout
            # has replaced sys.stdout.
            print(line, file=None)
        return len(s)

    def flush(self):
        if self._pending:
            print(self._pending, file=None)
            self._pending = ""

    def isatty(self):
        return False


stdout = _Stream("<stdout>")
stderr = _Stream("<stderr>")
__stdout__ = stdout
__stderr__ = stderr


class SystemExit(BaseException):
    """What sys.exit raises (the VM has no builtin SystemExit)."""


def exc_info():
    """(type, value, traceback) of the exception being handled; the
    traceback is None (the VM keeps the frames for `traceback`)."""
    info = _nl_exc_trace()
    if info is None:
        return (None, None, None)
    return (type(info[0]), info[0], None)


def exception():
    info = _nl_exc_trace()
    return None if info is None else info[0]


def exit(status=None):
    raise SystemExit(status)


def getrecursionlimit():
    return 1000


def setrecursionlimit(limit):
    if not isinstance(limit, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(limit).__name__)
    if limit < 1:
        raise ValueError("recursion limit must be greater or equal than 1")


def getdefaultencoding():
    return "utf-8"


def intern(s):
    return s
