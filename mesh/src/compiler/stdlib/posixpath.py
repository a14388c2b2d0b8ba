"""os.path (posixpath) for nanolambda: CPython 3.11's pure path-string
functions for `str` paths. Functions that ask the file system (`exists`,
`isfile`, `getsize`, `abspath`, ...) are left out: a function has no file
system here."""

sep = "/"
altsep = None
extsep = "."
pathsep = ":"
curdir = "."
pardir = ".."
defpath = "/bin:/usr/bin"
devnull = "/dev/null"


def _check(funcname, *args):
    for s in args:
        if not isinstance(s, str):
            raise TypeError(
                f"{funcname}() argument must be str, bytes, or os.PathLike object, "
                f"not {type(s).__name__!r}"
            )


def normcase(s):
    _check("normcase", s)
    return s


def isabs(s):
    _check("isabs", s)
    return s.startswith("/")


def join(a, *p):
    _check("join", a, *p)
    path = a
    for b in p:
        if b.startswith("/"):
            path = b
        elif not path or path.endswith("/"):
            path += b
        else:
            path += "/" + b
    return path


def split(p):
    _check("split", p)
    i = p.rfind("/") + 1
    head, tail = p[:i], p[i:]
    if head and head != "/" * len(head):
        head = head.rstrip("/")
    return head, tail


def splitext(p):
    _check("splitext", p)
    sep_index = p.rfind("/")
    dot_index = p.rfind(".")
    if dot_index > sep_index:
        filename_index = sep_index + 1
        while filename_index < dot_index:
            if p[filename_index] != ".":
                return p[:dot_index], p[dot_index:]
            filename_index += 1
    return p, ""


def splitdrive(p):
    _check("splitdrive", p)
    return p[:0], p


def basename(p):
    _check("basename", p)
    return p[p.rfind("/") + 1:]


def dirname(p):
    _check("dirname", p)
    i = p.rfind("/") + 1
    head = p[:i]
    if head and head != "/" * len(head):
        head = head.rstrip("/")
    return head


def normpath(path):
    _check("normpath", path)
    if not path:
        return "."
    initial_slashes = 1 if path.startswith("/") else 0
    if initial_slashes and path.startswith("//") and not path.startswith("///"):
        initial_slashes = 2
    new_comps = []
    for comp in path.split("/"):
        if comp in ("", "."):
            continue
        if comp != ".." or (not initial_slashes and not new_comps) or (
            new_comps and new_comps[-1] == ".."
        ):
            new_comps.append(comp)
        elif new_comps:
            new_comps.pop()
    path = "/".join(new_comps)
    if initial_slashes:
        path = "/" * initial_slashes + path
    return path or "."


def commonprefix(m):
    if not m:
        return ""
    s1 = min(m)
    s2 = max(m)
    for i, c in enumerate(s1):
        if c != s2[i]:
            return s1[:i]
    return s1


def commonpath(paths):
    if not paths:
        raise ValueError("commonpath() arg is an empty sequence")
    _check("commonpath", *paths)
    split_paths = [p.split("/") for p in paths]
    isabs_set = set(p[:1] == "/" for p in paths)
    if len(isabs_set) != 1:
        raise ValueError("Can't mix absolute and relative paths")
    split_paths = [[c for c in s if c and c != "."] for s in split_paths]
    s1 = min(split_paths)
    s2 = max(split_paths)
    common = s1
    for i, c in enumerate(s1):
        if c != s2[i]:
            common = s1[:i]
            break
    prefix = "/" if paths[0][:1] == "/" else ""
    return prefix + "/".join(common)
