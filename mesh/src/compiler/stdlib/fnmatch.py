"""fnmatch for nanolambda: shell-style wildcards (`*`, `?`, `[seq]`,
`[!seq]`, ranges) as CPython 3.11 matches them on POSIX (`fnmatch` is
case-sensitive there, like `fnmatchcase`): `fnmatch`, `fnmatchcase`,
`filter` and `translate`. Matched directly, without `re`."""


def _set_end(pat, i, n):
    """Where the set opened before pat[i] ends: the index of its closing
    `]` (a leading `!` and a `]` right after it belong to the set), or n."""
    j = i
    if j < n and pat[j] == "!":
        j += 1
    if j < n and pat[j] == "]":
        j += 1
    while j < n and pat[j] != "]":
        j += 1
    return j


def _range_chunks(pat, i, j):
    """The text of the set pat[i:j] split at its range dashes, as CPython's
    translate does it: empty ranges dropped (a-[ merges its neighbours)."""
    chunks = []
    k = i + 2 if pat[i] == "!" else i + 1
    while True:
        k = pat.find("-", k, j)
        if k < 0:
            break
        chunks.append(pat[i:k])
        i = k + 1
        k = k + 3
    chunk = pat[i:j]
    if chunk:
        chunks.append(chunk)
    else:
        chunks[-1] += "-"
    for k in range(len(chunks) - 1, 0, -1):
        if chunks[k - 1][-1] > chunks[k][0]:
            chunks[k - 1] = chunks[k - 1][:-1] + chunks[k][1:]
            del chunks[k]
    return chunks


def _parse(pat):
    """Tokens: ("*",), ("?",), ("lit", c) or ("set", negate, items) where
    items are (lo, hi) ranges, as CPython's translate reads the pattern."""
    tokens = []
    i, n = 0, len(pat)
    while i < n:
        c = pat[i]
        i += 1
        if c == "*":
            if not tokens or tokens[-1] != ("*",):
                tokens.append(("*",))
        elif c == "?":
            tokens.append(("?",))
        elif c == "[":
            j = _set_end(pat, i, n)
            if j >= n:
                tokens.append(("lit", "["))
                continue
            stuff = pat[i:j]
            if "-" in stuff:
                stuff = "-".join(_range_chunks(pat, i, j))
            i = j + 1
            if not stuff:
                tokens.append(("set", False, []))
                continue
            if stuff == "!":
                tokens.append(("?",))
                continue
            negate = stuff[0] == "!"
            if negate:
                stuff = stuff[1:]
            # The class as `re` reads it: "x-y" is a range, other characters
            # stand for themselves.
            items = []
            k = 0
            while k < len(stuff):
                if k + 2 < len(stuff) and stuff[k + 1] == "-":
                    items.append((stuff[k], stuff[k + 2]))
                    k += 3
                else:
                    items.append((stuff[k], stuff[k]))
                    k += 1
            tokens.append(("set", negate, items))
        else:
            tokens.append(("lit", c))
    return tokens


def _match_at(tokens, ti, name, ni):
    while ti < len(tokens):
        tok = tokens[ti]
        if tok[0] == "*":
            if ti + 1 == len(tokens):
                return True
            for start in range(ni, len(name) + 1):
                if _match_at(tokens, ti + 1, name, start):
                    return True
            return False
        if ni >= len(name):
            return False
        c = name[ni]
        if tok[0] == "lit":
            if c != tok[1]:
                return False
        elif tok[0] == "set":
            inside = False
            for lo, hi in tok[2]:
                if lo <= c <= hi:
                    inside = True
                    break
            if inside == tok[1]:
                return False
        ti += 1
        ni += 1
    return ni == len(name)


def fnmatchcase(name, pat):
    return _match_at(_parse(pat), 0, name, 0)


def fnmatch(name, pat):
    return fnmatchcase(name, pat)


_SPECIAL = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"


def _escape(text):
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


_groupnum = [0]


def translate(pat):
    """The regular expression CPython 3.11's `fnmatch.translate` gives."""
    STAR = None
    res = []
    i, n = 0, len(pat)
    while i < n:
        c = pat[i]
        i += 1
        if c == "*":
            if not res or res[-1] is not STAR:
                res.append(STAR)
        elif c == "?":
            res.append(".")
        elif c == "[":
            j = _set_end(pat, i, n)
            if j >= n:
                res.append("\\[")
                continue
            stuff = pat[i:j]
            if "-" not in stuff:
                stuff = stuff.replace("\\", "\\\\")
            else:
                chunks = _range_chunks(pat, i, j)
                stuff = "-".join(s.replace("\\", "\\\\").replace("-", "\\-") for s in chunks)
            stuff = "".join("\\" + c if c in "&~|" else c for c in stuff)
            i = j + 1
            if not stuff:
                res.append("(?!)")
            elif stuff == "!":
                res.append(".")
            else:
                if stuff[0] == "!":
                    stuff = "^" + stuff[1:]
                elif stuff[0] in ("^", "["):
                    stuff = "\\" + stuff
                res.append("[" + stuff + "]")
        else:
            res.append(_escape(c))
    out = []
    i, n = 0, len(res)
    while i < n and res[i] is not STAR:
        out.append(res[i])
        i += 1
    while i < n:
        i += 1
        if i == n:
            out.append(".*")
            break
        fixed = []
        while i < n and res[i] is not STAR:
            fixed.append(res[i])
            i += 1
        fixed = "".join(fixed)
        if i == n:
            out.append(".*")
            out.append(fixed)
        else:
            g = _groupnum[0]
            _groupnum[0] = g + 1
            out.append("(?=(?P<g%d>.*?%s))(?P=g%d)" % (g, fixed, g))
    return "(?s:" + "".join(out) + ")\\Z"


def filter(names, pat):
    tokens = _parse(pat)
    return [name for name in names if _match_at(tokens, 0, name, 0)]
