"""string for nanolambda functions: the constants, capwords() and
Template (`$name`, `${name}`, `$$`; a subclass may change `delimiter`, not
`idpattern`), as in CPython 3.11."""

whitespace = " \t\n\r\v\f"
ascii_lowercase = "abcdefghijklmnopqrstuvwxyz"
ascii_uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ascii_letters = ascii_lowercase + ascii_uppercase
digits = "0123456789"
hexdigits = digits + "abcdef" + "ABCDEF"
octdigits = "01234567"
punctuation = r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""
printable = digits + ascii_letters + punctuation + whitespace


def capwords(s, sep=None):
    return (sep or " ").join([x.capitalize() for x in s.split(sep)])


def _is_id_start(c):
    return c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z")


def _is_id_char(c):
    return _is_id_start(c) or ("0" <= c <= "9")


class Template:
    delimiter = "$"

    def __init__(self, template):
        self.template = template

    def _scan(self):
        """(kind, name, start, end) for each delimiter: kind is "escaped",
        "named", "braced" or "invalid"."""
        t = self.template
        d = self.delimiter
        n = len(t)
        i = t.find(d)
        while i >= 0:
            j = i + len(d)
            if t.startswith(d, j):
                yield "escaped", None, i, j + len(d)
                i = t.find(d, j + len(d))
                continue
            if j < n and _is_id_start(t[j]):
                k = j + 1
                while k < n and _is_id_char(t[k]):
                    k += 1
                yield "named", t[j:k], i, k
                i = t.find(d, k)
                continue
            if j < n and t[j] == "{" and j + 1 < n and _is_id_start(t[j + 1]):
                k = j + 2
                while k < n and _is_id_char(t[k]):
                    k += 1
                if k < n and t[k] == "}":
                    yield "braced", t[j + 1:k], i, k + 1
                    i = t.find(d, k + 1)
                    continue
            yield "invalid", None, i, j
            i = t.find(d, j)

    def _invalid(self, i):
        lines = self.template[:i].splitlines(keepends=True)
        if not lines:
            colno = 1
            lineno = 1
        else:
            colno = i - len("".join(lines[:-1]))
            lineno = len(lines)
        raise ValueError("Invalid placeholder in string: line %d, col %d" % (lineno, colno))

    def _render(self, mapping, kws, safe):
        if kws:
            merged = dict(mapping)
            merged.update(kws)
            mapping = merged
        out = []
        pos = 0
        for kind, name, start, end in self._scan():
            out.append(self.template[pos:start])
            pos = end
            if kind == "escaped":
                out.append(self.delimiter)
            elif kind == "invalid":
                if not safe:
                    self._invalid(end)
                out.append(self.template[start:end])
            elif safe:
                try:
                    out.append(str(mapping[name]))
                except KeyError:
                    out.append(self.template[start:end])
            else:
                out.append(str(mapping[name]))
        out.append(self.template[pos:])
        return "".join(out)

    def substitute(self, mapping={}, /, **kws):
        return self._render(mapping, kws, False)

    def safe_substitute(self, mapping={}, /, **kws):
        return self._render(mapping, kws, True)

    def is_valid(self):
        for kind, name, start, end in self._scan():
            if kind == "invalid":
                return False
        return True

    def get_identifiers(self):
        ids = []
        for kind, name, start, end in self._scan():
            if name is not None and name not in ids:
                ids.append(name)
        return ids
