"""string for nanolambda functions: the constants, capwords(), Template
(`$name`, `${name}`, `$$`; a subclass may change `delimiter`, not
`idpattern`) and Formatter (`format`, `vformat`, `parse` and the methods
subclasses override: `get_value`, `get_field`, `check_unused_args`,
`format_field`, `convert_field`), as in CPython 3.11. Formatter is made on
first use (PEP 562), so `import string` stays small."""

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


def __getattr__(name):
    if name != "Formatter":
        raise AttributeError("module 'string' has no attribute '%s'" % name)
    cls = _make_formatter()
    globals()["Formatter"] = cls
    return cls


def _make_formatter():
    """The Formatter class and its parser, made on first use."""

    def _parse_format(s):
        """CPython's `_string.formatter_parser`: (literal, field name, spec,
        conversion) tuples, the last three None after trailing text."""
        literal = []
        i, n = 0, len(s)
        while i < n:
            c = s[i]
            if c == "}":
                if i + 1 < n and s[i + 1] == "}":
                    # An escaped brace ends a literal chunk, as CPython's does.
                    literal.append("}")
                    yield "".join(literal), None, None, None
                    literal = []
                    i += 2
                    continue
                raise ValueError("Single '}' encountered in format string")
            if c != "{":
                literal.append(c)
                i += 1
                continue
            if i + 1 < n and s[i + 1] == "{":
                literal.append("{")
                yield "".join(literal), None, None, None
                literal = []
                i += 2
                continue
            if i + 1 >= n:
                raise ValueError("Single '{' encountered in format string")
            # The matching brace: nested ones count (a spec's `{width}`), and a
            # `[key]` of the field name may hold any brace.
            depth, j = 1, i + 1
            in_name, in_bracket = True, False
            while j < n:
                ch = s[j]
                if in_bracket:
                    in_bracket = ch != "]"
                elif in_name and ch == "[":
                    in_bracket = True
                elif ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                    if depth == 0:
                        break
                elif in_name and ch in "!:":
                    in_name = False
                j += 1
            if depth:
                raise ValueError("expected '}' before end of string")
            field = s[i + 1:j]
            k, m = 0, len(field)
            bracket = False
            while k < m:
                ch = field[k]
                if ch == "[":
                    bracket = True
                elif ch == "]":
                    bracket = False
                elif not bracket and ch in "!:":
                    break
                k += 1
            name, rest = field[:k], field[k:]
            conversion = None
            if rest.startswith("!"):
                if len(rest) < 2:
                    raise ValueError("end of string while looking for conversion specifier")
                conversion = rest[1]
                rest = rest[2:]
                if rest and not rest.startswith(":"):
                    raise ValueError("expected ':' after conversion specifier")
            spec = rest[1:] if rest.startswith(":") else ""
            yield "".join(literal), name, spec, conversion
            literal = []
            i = j + 1
        if literal:
            yield "".join(literal), None, None, None


    def _split_field_name(name):
        """CPython's `_string.formatter_field_name_split`: the first part (an
        int when all digits) and the (is_attribute, key) accessors after it."""
        i, n = 0, len(name)
        while i < n and name[i] not in ".[":
            i += 1
        first = name[:i]
        if first.isdigit():
            first = int(first)
        rest = []
        while i < n:
            if name[i] == ".":
                j = i + 1
                while j < n and name[j] not in ".[":
                    j += 1
                if j == i + 1:
                    raise ValueError("Empty attribute in format string")
                rest.append((True, name[i + 1:j]))
                i = j
            elif name[i] == "[":
                j = name.find("]", i)
                if j < 0:
                    raise ValueError("Missing ']' in format string")
                key = name[i + 1:j]
                if key == "":
                    raise ValueError("Empty attribute in format string")
                rest.append((False, int(key) if key.isdigit() else key))
                i = j + 1
                if i < n and name[i] not in ".[":
                    raise ValueError("Only '.' or '[' may follow ']' in format field specifier")
            else:
                raise ValueError("Only '.' or '[' may follow ']' in format field specifier")
        return first, rest

    class Formatter:
        def format(self, format_string, /, *args, **kwargs):
            return self.vformat(format_string, args, kwargs)

        def vformat(self, format_string, args, kwargs):
            used_args = set()
            result, _ = self._vformat(format_string, args, kwargs, used_args, 2)
            self.check_unused_args(used_args, args, kwargs)
            return result

        def _vformat(self, format_string, args, kwargs, used_args, recursion_depth, auto_arg_index=0):
            if recursion_depth < 0:
                raise ValueError("Max string recursion exceeded")
            result = []
            for literal_text, field_name, format_spec, conversion in self.parse(format_string):
                if literal_text:
                    result.append(literal_text)
                if field_name is None:
                    continue
                if field_name == "":
                    if auto_arg_index is False:
                        raise ValueError("cannot switch from manual field specification to automatic field numbering")
                    field_name = str(auto_arg_index)
                    auto_arg_index += 1
                elif field_name.isdigit():
                    if auto_arg_index:
                        # (CPython's wording, the same in both directions.)
                        raise ValueError("cannot switch from manual field specification to automatic field numbering")
                    auto_arg_index = False
                obj, arg_used = self.get_field(field_name, args, kwargs)
                used_args.add(arg_used)
                obj = self.convert_field(obj, conversion)
                format_spec, auto_arg_index = self._vformat(
                    format_spec, args, kwargs, used_args, recursion_depth - 1, auto_arg_index=auto_arg_index
                )
                result.append(self.format_field(obj, format_spec))
            return "".join(result), auto_arg_index

        def get_value(self, key, args, kwargs):
            if isinstance(key, int):
                return args[key]
            return kwargs[key]

        def check_unused_args(self, used_args, args, kwargs):
            pass

        def format_field(self, value, format_spec):
            return format(value, format_spec)

        def convert_field(self, value, conversion):
            if conversion is None:
                return value
            if conversion == "s":
                return str(value)
            if conversion == "r":
                return repr(value)
            if conversion == "a":
                return ascii(value)
            raise ValueError("Unknown conversion specifier %s" % (conversion,))

        def parse(self, format_string):
            return _parse_format(format_string)

        def get_field(self, field_name, args, kwargs):
            first, rest = _split_field_name(field_name)
            obj = self.get_value(first, args, kwargs)
            for is_attr, i in rest:
                obj = getattr(obj, i) if is_attr else obj[i]
            return obj, first

    Formatter.__module__ = "string"
    return Formatter
