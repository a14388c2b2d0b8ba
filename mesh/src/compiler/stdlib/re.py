"""re for nanolambda functions: regular expressions in Python (CPython's
module is C), after CPython 3.11's syntax and API.

The pattern compiles to a small program run by a backtracking matcher
with an explicit stack (no recursion, so long subjects do not hit the
recursion limit), leftmost-first like CPython's: literals, ., [] classes
with ranges and negation, \\d \\w \\s \\D \\W \\S \\b \\B \\A \\Z, ^ $, groups
(capturing, (?:...), (?P<name>...), (?P=name), backreferences \\1),
alternation, the greedy and lazy quantifiers * + ? {m} {m,} {m,n},
lookahead (?=...) (?!...), lookbehind of fixed length (?<=...) (?<!...),
inline flags (?i) (?m) (?s) (?x), and the flags IGNORECASE, MULTILINE,
DOTALL, VERBOSE, ASCII. API: compile, match, fullmatch, search, findall,
finditer, sub, subn, split, escape, purge, error; Pattern and Match with
group(s), groupdict, start, end, span, expand, lastindex, lastgroup.

\\w, \\d, \\s and \\b are Unicode-aware unless ASCII (or (?a)) is given, as in
CPython. Differences: no possessive quantifiers, atomic
groups, conditional patterns or variable-length lookbehind (a clear
re.error); finditer returns an iterator over a list made up front."""

A = ASCII = 256
I = IGNORECASE = 2
L = LOCALE = 4
M = MULTILINE = 8
S = DOTALL = 16
U = UNICODE = 32
X = VERBOSE = 64
NOFLAG = 0


class error(Exception):
    def __init__(self, msg, pattern=None, pos=None):
        if pattern is not None and pos is not None:
            msg = "%s at position %d" % (msg, pos)
        Exception.__init__(self, msg)
        self.msg = msg
        self.pattern = pattern
        self.pos = pos


PatternError = error

# Program instructions: lists [op, a, b].
_CHAR = 0       # a: char
_ANY = 1        # a: dotall
_CLASS = 2      # a: (negated, items)
_SPLIT = 3      # a: first target, b: second target
_JMP = 4        # a: target
_SAVE = 5       # a: slot
_MATCH = 6
_BOL = 7        # a: multiline
_EOL = 8        # a: multiline
_BOS = 9
_EOS = 10
_WORDB = 11     # a: True for \b, False for \B
_BACKREF = 12   # a: group number
_LOOK = 13      # a: sub-program, b: (ahead, negate, width)
_CHARI = 14     # a: lowercase char (ignore case)
_REPEAT_END = 15

_DIGITS = "0123456789"
_WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
_SPACE = " \t\n\r\f\v"


def _is_word(c):
    return c.isalnum() or c == "_"


class _Parser:
    def __init__(self, pattern, flags):
        self.p = pattern
        self.i = 0
        self.flags = flags
        self.ngroups = 0
        self.names = {}

    def error(self, msg, pos=None):
        return error(msg, self.p, self.i if pos is None else pos)

    def peek(self):
        return self.p[self.i] if self.i < len(self.p) else ""

    def next(self):
        c = self.p[self.i]
        self.i += 1
        return c

    def skip_verbose(self):
        if not self.flags & VERBOSE:
            return
        while self.i < len(self.p):
            c = self.p[self.i]
            if c in " \t\n\r\f\v":
                self.i += 1
            elif c == "#":
                while self.i < len(self.p) and self.p[self.i] != "\n":
                    self.i += 1
            else:
                break

    def parse_alt(self):
        branches = [self.parse_seq()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.parse_seq())
        if len(branches) == 1:
            return branches[0]
        return ("alt", branches)

    def parse_seq(self):
        items = []
        while True:
            self.skip_verbose()
            c = self.peek()
            if c == "" or c == "|" or c == ")":
                break
            atom = self.parse_atom()
            if atom is None:
                continue
            atom = self.parse_quant(atom)
            items.append(atom)
        return ("seq", items)

    def parse_quant(self, atom):
        while True:
            self.skip_verbose()
            c = self.peek()
            start = self.i
            if c == "*":
                lo, hi = 0, None
                self.i += 1
            elif c == "+":
                lo, hi = 1, None
                self.i += 1
            elif c == "?":
                lo, hi = 0, 1
                self.i += 1
            elif c == "{":
                j = self.p.find("}", self.i)
                body = self.p[self.i + 1:j] if j > 0 else ""
                parts = body.split(",")
                ok = j > 0 and len(parts) <= 2 and all(x.strip() == x and (x == "" or x.isdigit()) for x in parts) \
                    and not (len(parts) == 1 and parts[0] == "")
                if not ok:
                    return atom
                self.i = j + 1
                if len(parts) == 1:
                    lo = hi = int(parts[0])
                else:
                    lo = int(parts[0]) if parts[0] else 0
                    hi = int(parts[1]) if parts[1] else None
                    if hi is not None and hi < lo:
                        raise self.error("min repeat greater than max repeat", start + 1)
            else:
                return atom
            if atom[0] == "rep":
                raise self.error("multiple repeat", start)
            if atom[0] in ("bol", "eol", "bos", "eos", "wordb"):
                raise self.error("nothing to repeat", start)
            lazy = False
            if self.peek() == "?":
                self.i += 1
                lazy = True
            elif self.peek() == "+":
                raise self.error("possessive quantifiers are not supported", self.i)
            atom = ("rep", atom, lo, hi, lazy)

    def parse_atom(self):
        start = self.i
        c = self.next()
        if c == "(":
            return self.parse_group(start)
        if c == "[":
            return self.parse_class(start)
        if c == ".":
            return ("any",)
        if c == "^":
            return ("bol",)
        if c == "$":
            return ("eol",)
        if c == "\\":
            return self.parse_escape(False)
        if c in "*+?":
            raise self.error("nothing to repeat", start)
        if c == "{":
            return ("char", c)
        return ("char", c)

    def parse_group(self, start):
        if self.p[self.i:self.i + 1] == "?":
            self.i += 1
            c = self.next() if self.i < len(self.p) else ""
            if c == ":":
                body = self.parse_alt()
                self.expect_close(start)
                return ("group", None, body)
            if c == "P":
                c2 = self.next() if self.i < len(self.p) else ""
                if c2 == "<":
                    j = self.p.find(">", self.i)
                    if j < 0:
                        raise self.error("missing >, unterminated name", self.i)
                    name = self.p[self.i:j]
                    if not _identifier(name):
                        raise self.error("bad character in group name %r" % name, self.i)
                    if name in self.names:
                        raise self.error("redefinition of group name %r as group %d; was group %d"
                                         % (name, self.ngroups + 1, self.names[name]), self.i)
                    self.i = j + 1
                    self.ngroups += 1
                    n = self.ngroups
                    self.names[name] = n
                    body = self.parse_alt()
                    self.expect_close(start)
                    return ("group", n, body)
                if c2 == "=":
                    j = self.p.find(")", self.i)
                    if j < 0:
                        raise self.error("missing ), unterminated name", self.i)
                    name = self.p[self.i:j]
                    if name not in self.names:
                        raise self.error("unknown group name %r" % name, self.i)
                    self.i = j + 1
                    return ("backref", self.names[name])
                raise self.error("unknown extension ?P" + c2, start + 1)
            if c == "=" or c == "!":
                body = self.parse_alt()
                self.expect_close(start)
                return ("look", True, c == "!", body)
            if c == "<":
                c2 = self.next() if self.i < len(self.p) else ""
                if c2 == "=" or c2 == "!":
                    body = self.parse_alt()
                    self.expect_close(start)
                    width = _width(body)
                    if width is None:
                        raise error("look-behind requires fixed-width pattern")
                    return ("lookbehind", c2 == "!", body, width)
                raise self.error("unknown extension ?<" + c2, start + 1)
            if c == "#":
                j = self.p.find(")", self.i)
                if j < 0:
                    raise self.error("missing ), unterminated comment", self.i)
                self.i = j + 1
                return None
            if c in "aiLmsux":
                flags = 0
                while c in "aiLmsux":
                    flags |= {"a": ASCII, "i": IGNORECASE, "L": LOCALE, "m": MULTILINE, "s": DOTALL,
                              "u": UNICODE, "x": VERBOSE}[c]
                    c = self.next() if self.i < len(self.p) else ""
                if c == ")":
                    if start != 0:
                        raise self.error("global flags not at the start of the expression", start)
                    self.flags |= flags
                    return None
                if c == ":":
                    saved = self.flags
                    self.flags |= flags
                    body = self.parse_alt()
                    self.flags = saved
                    self.expect_close(start)
                    return ("flags", flags, body)
                raise self.error("missing -, : or )", self.i - 1)
            raise self.error("unknown extension ?" + c, start + 1)
        self.ngroups += 1
        n = self.ngroups
        body = self.parse_alt()
        self.expect_close(start)
        return ("group", n, body)

    def expect_close(self, start):
        if self.peek() != ")":
            raise self.error("missing ), unterminated subpattern", start)
        self.i += 1

    def parse_escape(self, in_class):
        if self.i >= len(self.p):
            raise self.error("bad escape (end of pattern)", self.i - 1)
        c = self.next()
        if c == "d":
            return ("class", False, [("cat", "d")])
        if c == "D":
            return ("class", True, [("cat", "d")])
        if c == "w":
            return ("class", False, [("cat", "w")])
        if c == "W":
            return ("class", True, [("cat", "w")])
        if c == "s":
            return ("class", False, [("cat", "s")])
        if c == "S":
            return ("class", True, [("cat", "s")])
        simple = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "0": "\0"}
        if c == "0":
            digits = ""
            while len(digits) < 2 and self.peek() in "01234567" and self.peek() != "":
                digits += self.next()
            return ("char", chr(int("0" + digits, 8)))
        if c in simple:
            return ("char", simple[c])
        if c == "x":
            h = self.p[self.i:self.i + 2]
            if len(h) != 2 or not all(ch in "0123456789abcdefABCDEF" for ch in h):
                raise self.error("incomplete escape \\x" + h, self.i - 2)
            self.i += 2
            return ("char", chr(int(h, 16)))
        if c == "u" or c == "U":
            n = 4 if c == "u" else 8
            h = self.p[self.i:self.i + n]
            if len(h) != n or not all(ch in "0123456789abcdefABCDEF" for ch in h):
                raise self.error("incomplete escape \\" + c + h, self.i - 2)
            self.i += n
            return ("char", chr(int(h, 16)))
        if not in_class:
            if c == "b":
                return ("wordb", True)
            if c == "B":
                return ("wordb", False)
            if c == "A":
                return ("bos",)
            if c == "Z":
                return ("eos",)
            if c in "123456789":
                digits = c
                while self.peek() != "" and self.peek() in _DIGITS and len(digits) < 2:
                    digits += self.next()
                n = int(digits)
                if n > self.ngroups:
                    raise self.error("invalid group reference %d" % n, self.i - len(digits))
                return ("backref", n)
        elif c == "b":
            return ("char", "\b")
        if c.isalnum():
            raise self.error("bad escape \\" + c, self.i - 2)
        return ("char", c)

    def parse_class(self, start):
        negated = False
        if self.peek() == "^":
            negated = True
            self.i += 1
        items = []
        first = True
        while True:
            if self.i >= len(self.p):
                raise self.error("unterminated character set", start)
            c = self.next()
            if c == "]" and not first:
                break
            first = False
            if c == "\\":
                e = self.parse_escape(True)
                if e[0] == "class":
                    if e[1]:
                        items.append(("notcat", e[2][0][1]))
                    else:
                        items.append(e[2][0])
                    continue
                lo = e[1]
            else:
                lo = c
            if self.peek() == "-" and self.p[self.i + 1:self.i + 2] not in ("]", ""):
                self.i += 1
                c2 = self.next()
                if c2 == "\\":
                    e = self.parse_escape(True)
                    if e[0] == "class":
                        raise self.error("bad character range %s-%s" % (lo, "\\" + self.p[self.i - 1]), self.i - 4)
                    hi = e[1]
                else:
                    hi = c2
                if ord(hi) < ord(lo):
                    raise self.error("bad character range %s-%s" % (lo, hi), self.i - 3)
                items.append(("range", lo, hi))
            else:
                items.append(("range", lo, lo))
        return ("class", negated, items)


def _identifier(name):
    if not name or not (name[0].isalpha() or name[0] == "_"):
        return False
    for c in name:
        if not (c.isalnum() or c == "_"):
            return False
    return True


def _width(node):
    """Fixed width of a node in characters, or None."""
    kind = node[0]
    if kind in ("char", "any", "class"):
        return 1
    if kind in ("bol", "eol", "bos", "eos", "wordb", "look", "lookbehind"):
        return 0
    if kind == "seq":
        total = 0
        for item in node[1]:
            w = _width(item)
            if w is None:
                return None
            total += w
        return total
    if kind == "alt":
        widths = [_width(b) for b in node[1]]
        if None in widths or len(set(widths)) != 1:
            return None
        return widths[0]
    if kind == "group":
        return _width(node[2])
    if kind == "flags":
        return _width(node[2])
    if kind == "rep":
        w = _width(node[1])
        if w is None or node[3] != node[2]:
            return None
        return w * node[2]
    return None


class _Compiler:
    def __init__(self, flags, order_base):
        self.prog = []
        self.flags = flags
        # Slots order_base + g hold when group g closed.
        self.order_base = order_base

    def emit(self, op, a=None, b=None):
        self.prog.append([op, a, b])
        return len(self.prog) - 1

    def node(self, n, flags):
        kind = n[0]
        if kind == "char":
            if flags & IGNORECASE:
                self.emit(_CHARI, _fold(n[1]))
            else:
                self.emit(_CHAR, n[1])
        elif kind == "any":
            self.emit(_ANY, bool(flags & DOTALL))
        elif kind == "class":
            items = n[2]
            if flags & ASCII:
                # \w, \d, \s match ASCII characters only.
                items = [("a" + it[0], it[1]) if it[0] in ("cat", "notcat") else it for it in items]
            self.emit(_CLASS, (n[1], items, bool(flags & IGNORECASE)))
        elif kind == "bol":
            self.emit(_BOL, bool(flags & MULTILINE))
        elif kind == "eol":
            self.emit(_EOL, bool(flags & MULTILINE))
        elif kind == "bos":
            self.emit(_BOS)
        elif kind == "eos":
            self.emit(_EOS)
        elif kind == "wordb":
            self.emit(_WORDB, n[1], bool(flags & ASCII))
        elif kind == "backref":
            self.emit(_BACKREF, n[1], bool(flags & IGNORECASE))
        elif kind == "seq":
            for item in n[1]:
                self.node(item, flags)
        elif kind == "alt":
            jumps = []
            branches = n[1]
            for k in range(len(branches)):
                if k < len(branches) - 1:
                    split = self.emit(_SPLIT)
                    self.prog[split][1] = split + 1
                    self.node(branches[k], flags)
                    jumps.append(self.emit(_JMP))
                    self.prog[split][2] = len(self.prog)
                else:
                    self.node(branches[k], flags)
            for j in jumps:
                self.prog[j][1] = len(self.prog)
        elif kind == "group":
            if n[1] is None:
                self.node(n[2], flags)
            else:
                self.emit(_SAVE, 2 * n[1])
                self.node(n[2], flags)
                self.emit(_SAVE, 2 * n[1] + 1, self.order_base + n[1])
        elif kind == "flags":
            self.node(n[2], flags | n[1])
        elif kind == "look":
            sub = _Compiler(flags, self.order_base)
            sub.node(n[3], flags)
            sub.emit(_MATCH)
            self.emit(_LOOK, sub.prog, (True, n[2], 0))
        elif kind == "lookbehind":
            sub = _Compiler(flags, self.order_base)
            sub.node(n[2], flags)
            sub.emit(_MATCH)
            self.emit(_LOOK, sub.prog, (False, n[1], n[3]))
        elif kind == "rep":
            self.rep(n[1], n[2], n[3], n[4], flags)

    def rep(self, atom, lo, hi, lazy, flags):
        for _ in range(lo):
            self.node(atom, flags)
        if hi is None:
            # L: split body, end; body; jmp L   (with an empty-loop guard)
            split = self.emit(_SPLIT)
            self.node(atom, flags)
            self.emit(_REPEAT_END, split)
            self.emit(_JMP, split)
            end = len(self.prog)
            if lazy:
                self.prog[split][1] = end
                self.prog[split][2] = split + 1
            else:
                self.prog[split][1] = split + 1
                self.prog[split][2] = end
        else:
            splits = []
            for _ in range(hi - lo):
                split = self.emit(_SPLIT)
                splits.append(split)
                self.node(atom, flags)
            end = len(self.prog)
            for split in splits:
                if lazy:
                    self.prog[split][1] = end
                    self.prog[split][2] = split + 1
                else:
                    self.prog[split][1] = split + 1
                    self.prog[split][2] = end


def _fold(c):
    if "A" <= c <= "Z":
        return chr(ord(c) + 32)
    return c.lower() if len(c.lower()) == 1 else c


def _in_class(c, spec):
    negated, items, icase = spec
    found = _class_hit(c, items)
    if not found and icase:
        lc = _fold(c)
        uc = c.upper() if len(c.upper()) == 1 else c
        found = (lc != c and _class_hit(lc, items)) or (uc != c and _class_hit(uc, items))
    return found != negated


def _class_hit(c, items):
    for item in items:
        kind = item[0]
        if kind == "range":
            if item[1] <= c <= item[2]:
                return True
        elif kind == "cat":
            if _cat(c, item[1]):
                return True
        elif kind == "notcat":
            if not _cat(c, item[1]):
                return True
        elif kind == "acat":
            if c < "\x80" and _cat(c, item[1]):
                return True
        elif kind == "anotcat":
            if not (c < "\x80" and _cat(c, item[1])):
                return True
    return False


def _cat(c, name):
    if name == "d":
        return c.isdigit() if c > "\x7f" else c in _DIGITS
    if name == "w":
        return _is_word(c)
    return c in _SPACE or (c > "\x7f" and c.isspace()) or c in "\x1c\x1d\x1e\x1f\x85"


def _run(prog, s, pos, end, nslots, anchored_end=False, nonempty=False):
    """Backtracking run of `prog` on s from pos (not reading at or past
    `end`). Returns the slots list (slot 1 is the match end) or None.

    The stack holds what to undo or retry, newest last: ("alt", pc, sp)
    resumes an untried branch, ("slot", i, old) and ("loop", pc, old)
    restore a capture slot and a loop's last end position on the way back.
    """
    slots = [-1] * nslots
    closed = 0
    loops = {}
    stack = [("alt", 0, pos)]
    n = len(s)
    while stack:
        kind, a, b = stack.pop()
        if kind == "slot":
            slots[a] = b
            continue
        if kind == "loop":
            loops[a] = b
            continue
        pc, sp = a, b
        while True:
            ins = prog[pc]
            op = ins[0]
            if op == _CHAR:
                if sp < end and s[sp] == ins[1]:
                    pc += 1
                    sp += 1
                    continue
                break
            if op == _CHARI:
                if sp < end and _fold(s[sp]) == ins[1]:
                    pc += 1
                    sp += 1
                    continue
                break
            if op == _ANY:
                if sp < end and (ins[1] or s[sp] != "\n"):
                    pc += 1
                    sp += 1
                    continue
                break
            if op == _CLASS:
                if sp < end and _in_class(s[sp], ins[1]):
                    pc += 1
                    sp += 1
                    continue
                break
            if op == _SPLIT:
                stack.append(("alt", ins[2], sp))
                pc = ins[1]
                continue
            if op == _JMP:
                pc = ins[1]
                continue
            if op == _REPEAT_END:
                # An iteration of a * or + loop that consumed nothing would
                # loop forever ...
                last = loops.get(ins[1], -1)
                if last == sp:
                    # ... so it ends the loop, as CPython's does.
                    pc += 2
                    continue
                stack.append(("loop", ins[1], last))
                loops[ins[1]] = sp
                pc += 1
                continue
            if op == _SAVE:
                stack.append(("slot", ins[1], slots[ins[1]]))
                slots[ins[1]] = sp
                if ins[2] is not None:
                    # Closing a group: remember when (Match.lastindex).
                    stack.append(("slot", ins[2], slots[ins[2]]))
                    slots[ins[2]] = closed
                    closed += 1
                pc += 1
                continue
            if op == _MATCH:
                if (anchored_end and sp != end) or (nonempty and sp == pos):
                    break
                slots[1] = sp
                return slots
            if op == _BOL:
                if sp == 0 or (ins[1] and s[sp - 1] == "\n"):
                    pc += 1
                    continue
                break
            if op == _EOL:
                if sp == n or (sp == n - 1 and s[sp] == "\n") or (ins[1] and sp < n and s[sp] == "\n"):
                    pc += 1
                    continue
                break
            if op == _BOS:
                if sp == 0:
                    pc += 1
                    continue
                break
            if op == _EOS:
                if sp == n:
                    pc += 1
                    continue
                break
            if op == _WORDB:
                before = sp > 0 and _is_word(s[sp - 1]) and (not ins[2] or s[sp - 1] < "\x80")
                after = sp < n and _is_word(s[sp]) and (not ins[2] or s[sp] < "\x80")
                if (before != after) == ins[1]:
                    pc += 1
                    continue
                break
            if op == _BACKREF:
                g = ins[1]
                ga, gb = slots[2 * g], slots[2 * g + 1]
                if ga < 0 or gb < 0:
                    break
                text = s[ga:gb]
                got = s[sp:sp + len(text)]
                if sp + len(text) <= end and (got == text or (ins[2] and _fold_str(got) == _fold_str(text))):
                    sp += len(text)
                    pc += 1
                    continue
                break
            if op == _LOOK:
                ahead, negate, width = ins[2]
                sub = None
                if ahead:
                    sub = _run(ins[1], s, sp, n, nslots)
                elif sp - width >= 0:
                    sub = _run(ins[1], s, sp - width, sp, nslots, True)
                if (sub is not None) == negate:
                    break
                if sub is not None:
                    for k in range(2, nslots):
                        if sub[k] >= 0 and slots[k] != sub[k]:
                            stack.append(("slot", k, slots[k]))
                            slots[k] = sub[k]
                pc += 1
                continue
            break
    return None


def _fold_str(t):
    return "".join(_fold(c) for c in t)


class Match:
    def __init__(self, pattern, string, pos, endpos, slots):
        self.re = pattern
        self.string = string
        self.pos = pos
        self.endpos = endpos
        self._slots = slots
        # lastindex: the group that closed last.
        self.lastindex = None
        base = 2 * (pattern.groups + 1)
        latest = -1
        for g in range(1, pattern.groups + 1):
            if slots[2 * g] >= 0 and slots[2 * g + 1] >= 0 and slots[base + g] > latest:
                latest = slots[base + g]
                self.lastindex = g
        self.lastgroup = None
        if self.lastindex is not None:
            for name, num in pattern.groupindex.items():
                if num == self.lastindex:
                    self.lastgroup = name

    def _index(self, g):
        if isinstance(g, str):
            if g in self.re.groupindex:
                return self.re.groupindex[g]
            raise IndexError("no such group")
        if isinstance(g, bool) or not isinstance(g, int) or not 0 <= g <= self.re.groups:
            raise IndexError("no such group")
        return g

    def _group(self, g, default=None):
        g = self._index(g)
        a, b = self._slots[2 * g], self._slots[2 * g + 1]
        if a < 0 or b < 0:
            return default
        return self.string[a:b]

    def group(self, *groups):
        if not groups:
            return self._group(0)
        if len(groups) == 1:
            return self._group(groups[0])
        return tuple(self._group(g) for g in groups)

    def __getitem__(self, g):
        return self._group(g)

    def groups(self, default=None):
        return tuple(self._group(g, default) for g in range(1, self.re.groups + 1))

    def groupdict(self, default=None):
        return {name: self._group(num, default) for name, num in self.re.groupindex.items()}

    def start(self, group=0):
        g = self._index(group)
        return self._slots[2 * g] if self._slots[2 * g + 1] >= 0 else -1

    def end(self, group=0):
        g = self._index(group)
        return self._slots[2 * g + 1] if self._slots[2 * g] >= 0 else -1

    def span(self, group=0):
        return (self.start(group), self.end(group))

    def expand(self, template):
        return _expand(self, template)

    def __bool__(self):
        return True

    def __repr__(self):
        return "<re.Match object; span=(%d, %d), match=%r>" % (self.start(), self.end(), self.group())


class Pattern:
    def __init__(self, pattern, flags):
        if isinstance(pattern, bytes):
            raise TypeError("bytes patterns are not supported")
        if not isinstance(pattern, str):
            raise TypeError("first argument must be string or compiled pattern")
        parser = _Parser(pattern, flags)
        tree = parser.parse_alt()
        if parser.i < len(pattern):
            if pattern[parser.i] == ")":
                raise error("unbalanced parenthesis", pattern, parser.i)
            raise error("unexpected end of pattern", pattern, parser.i)
        self.pattern = pattern
        self.flags = parser.flags | (UNICODE if not parser.flags & ASCII else 0)
        self.groups = parser.ngroups
        self.groupindex = dict(parser.names)
        c = _Compiler(parser.flags, 2 * (parser.ngroups + 1))
        c.emit(_SAVE, 0)
        c.node(tree, parser.flags)
        c.emit(_MATCH)
        self._prog = c.prog
        self._nslots = 3 * (parser.ngroups + 1)

    def _at(self, string, pos, endpos, full=False, nonempty=False):
        slots = _run(self._prog, string, pos, endpos, self._nslots, full, nonempty)
        if slots is None:
            return None
        slots[0] = pos
        return Match(self, string, pos, endpos, slots)

    def _bounds(self, string, pos, endpos):
        if not isinstance(string, str):
            raise TypeError("expected string or bytes-like object, got '%s'" % type(string).__name__)
        n = len(string)
        if endpos is None or endpos > n:
            endpos = n
        if pos < 0:
            pos = 0
        return min(pos, n), max(endpos, 0)

    def match(self, string, pos=0, endpos=None):
        pos, endpos = self._bounds(string, pos, endpos)
        return self._at(string, pos, endpos)

    def fullmatch(self, string, pos=0, endpos=None):
        pos, endpos = self._bounds(string, pos, endpos)
        return self._at(string, pos, endpos, True)

    def search(self, string, pos=0, endpos=None):
        pos, endpos = self._bounds(string, pos, endpos)
        for start in range(pos, endpos + 1):
            m = self._at(string, start, endpos)
            if m is not None:
                return m
        return None

    def _iter(self, string, pos=0, endpos=None):
        """Every match left to right, as CPython 3.7+ finds them: after an
        empty match the next one may start at the same place only if it
        is not empty."""
        pos, endpos = self._bounds(string, pos, endpos)
        out = []
        start = pos
        must_advance = False
        while start <= endpos:
            m = self._at(string, start, endpos, False, must_advance)
            if m is None:
                start += 1
                must_advance = False
                continue
            out.append(m)
            must_advance = m.end() == m.start()
            start = m.end()
        return out

    def finditer(self, string, pos=0, endpos=None):
        return iter(self._iter(string, pos, endpos))

    def findall(self, string, pos=0, endpos=None):
        out = []
        for m in self._iter(string, pos, endpos):
            if self.groups == 0:
                out.append(m.group())
            elif self.groups == 1:
                out.append(m._group(1, ""))
            else:
                out.append(m.groups(""))
        return out

    def split(self, string, maxsplit=0):
        out = []
        last = 0
        n = 0
        for m in self._iter(string):
            if maxsplit and n >= maxsplit:
                break
            out.append(string[last:m.start()])
            out.extend(m.groups())
            last = m.end()
            n += 1
        out.append(string[last:])
        return out

    def subn(self, repl, string, count=0):
        if not isinstance(string, str):
            raise TypeError("expected string or bytes-like object, got '%s'" % type(string).__name__)
        pieces = []
        last = 0
        n = 0
        if not callable(repl):
            _check_template(repl, self)
        for m in self._iter(string):
            if count and n >= count:
                break
            pieces.append(string[last:m.start()])
            if callable(repl):
                r = repl(m)
                if not isinstance(r, str):
                    raise TypeError("expected str instance, %s found" % type(r).__name__)
                pieces.append(r)
            else:
                pieces.append(_expand(m, repl))
            last = m.end()
            n += 1
        pieces.append(string[last:])
        return "".join(pieces), n

    def sub(self, repl, string, count=0):
        return self.subn(repl, string, count)[0]

    def __repr__(self):
        flags = []
        for name, value in (("IGNORECASE", IGNORECASE), ("MULTILINE", MULTILINE), ("DOTALL", DOTALL),
                            ("VERBOSE", VERBOSE), ("ASCII", ASCII)):
            if self.flags & value:
                flags.append("re." + name)
        if flags:
            return "re.compile(%r, %s)" % (self.pattern, "|".join(flags))
        return "re.compile(%r)" % (self.pattern,)

    def __eq__(self, other):
        return isinstance(other, Pattern) and self.pattern == other.pattern and self.flags == other.flags

    def __hash__(self):
        return hash((self.pattern, self.flags))


def _check_template(template, pattern):
    _parse_template(template, pattern)


def _parse_template(template, pattern):
    """[(literal, None) | (None, group)] for a replacement template."""
    if not isinstance(template, str):
        raise TypeError("expected str instance, %s found" % type(template).__name__)
    out = []
    lit = []
    i = 0
    n = len(template)
    while i < n:
        c = template[i]
        i += 1
        if c != "\\":
            lit.append(c)
            continue
        if i >= n:
            raise error("bad escape (end of pattern)", template, i - 1)
        c = template[i]
        i += 1
        if c == "g":
            if i >= n or template[i] != "<":
                raise error("missing <", template, i)
            j = template.find(">", i)
            if j < 0:
                raise error("missing group name", template, i + 1)
            name = template[i + 1:j]
            if name.isdigit():
                g = int(name)
                if g > pattern.groups:
                    raise error("invalid group reference %d" % g, template, i + 1)
            elif name in pattern.groupindex:
                g = pattern.groupindex[name]
            else:
                raise IndexError("unknown group name '%s'" % name)
            out.append(("".join(lit), None))
            lit = []
            out.append((None, g))
            i = j + 1
        elif c in "0123456789":
            digits = c
            if c != "0":
                while i < n and template[i] in "0123456789" and len(digits) < 2:
                    digits += template[i]
                    i += 1
                g = int(digits)
                if g > pattern.groups:
                    raise error("invalid group reference %d" % g, template, i - len(digits))
                out.append(("".join(lit), None))
                lit = []
                out.append((None, g))
            else:
                while i < n and template[i] in "01234567" and len(digits) < 3:
                    digits += template[i]
                    i += 1
                lit.append(chr(int(digits, 8)))
        else:
            simple = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "b": "\b",
                      "\\": "\\"}
            if c in simple:
                lit.append(simple[c])
            elif c.isalpha():
                raise error("bad escape \\" + c, template, i - 2)
            else:
                lit.append("\\" + c)
    out.append(("".join(lit), None))
    return out


def _expand(m, template):
    out = []
    for lit, g in _parse_template(template, m.re):
        if g is None:
            out.append(lit)
        else:
            out.append(m._group(g, ""))
    return "".join(out)


_cache = {}


def compile(pattern, flags=0):
    if isinstance(pattern, Pattern):
        if flags:
            raise ValueError("cannot process flags argument with a compiled pattern")
        return pattern
    key = (pattern, flags)
    p = _cache.get(key)
    if p is None:
        if len(_cache) >= 64:
            _cache.clear()
        p = Pattern(pattern, flags)
        _cache[key] = p
    return p


def purge():
    _cache.clear()


def match(pattern, string, flags=0):
    return compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    return compile(pattern, flags).fullmatch(string)


def search(pattern, string, flags=0):
    return compile(pattern, flags).search(string)


def findall(pattern, string, flags=0):
    return compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    return compile(pattern, flags).finditer(string)


def sub(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    return compile(pattern, flags).split(string, maxsplit)


_SPECIAL = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"


def escape(pattern):
    if not isinstance(pattern, str):
        raise TypeError("escape() expects a str")
    return "".join("\\" + c if c in _SPECIAL else c for c in pattern)
