"""html for nanolambda: `html.escape` and `html.unescape` as CPython 3.11.
`unescape` knows numeric references (with CPython's replacements for
invalid code points) and the named entities handlers meet: the HTML 4
Latin-1 set and the common typographic ones; an unknown name is left as
written (CPython's full HTML5 table has 2,231 names)."""


def escape(s, quote=True):
    s = s.replace("&", "&amp;")
    s = s.replace("<", "&lt;")
    s = s.replace(">", "&gt;")
    if quote:
        s = s.replace('"', "&quot;")
        s = s.replace("'", "&#x27;")
    return s


# The entity tables, made on first use (importing html stays cheap).
_tables = []


def _entities():
    if not _tables:
        # Code points 160..255 by their HTML 4 names (CPython also accepts
        # these without the closing semicolon).
        latin1 = (
            "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr "
            "deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 "
            "frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc "
            "Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash "
            "Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring "
            "aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve "
            "oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml"
        )

        # Other names with their characters, as "name char" pairs.
        other = (
            "apos ' euro \u20ac hellip \u2026 mdash \u2014 ndash \u2013 lsquo \u2018 rsquo \u2019 "
            "sbquo \u201a ldquo \u201c rdquo \u201d bdquo \u201e bull \u2022 trade \u2122 "
            "dagger \u2020 Dagger \u2021 permil \u2030 lsaquo \u2039 rsaquo \u203a prime \u2032 "
            "Prime \u2033 larr \u2190 uarr \u2191 rarr \u2192 darr \u2193 harr \u2194 le \u2264 "
            "ge \u2265 ne \u2260 asymp \u2248 infin \u221e minus \u2212 radic \u221a sum \u2211 "
            "prod \u220f part \u2202 int \u222b alpha \u03b1 beta \u03b2 gamma \u03b3 delta \u03b4 "
            "epsilon \u03b5 lambda \u03bb mu \u03bc pi \u03c0 sigma \u03c3 tau \u03c4 phi \u03c6 "
            "omega \u03c9 Delta \u0394 Omega \u03a9 Sigma \u03a3 OElig \u0152 oelig \u0153 "
            "Scaron \u0160 scaron \u0161 Yuml \u0178 fnof \u0192 circ \u02c6 tilde \u02dc "
            "zwnj \u200c zwj \u200d lrm \u200e rlm \u200f "
            "spades \u2660 clubs \u2663 hearts \u2665 diams \u2666 check \u2713 star \u2606 "
            "starf \u2605 loz \u25ca oline \u203e frasl \u2044 forall \u2200 exist \u2203 "
            "empty \u2205 nabla \u2207 isin \u2208 notin \u2209 ni \u220b lowast \u2217 "
            "prop \u221d ang \u2220 and \u2227 or \u2228 cap \u2229 cup \u222a there4 \u2234 "
            "sim \u223c cong \u2245 equiv \u2261 sub \u2282 sup \u2283 nsub \u2284 sube \u2286 "
            "supe \u2287 oplus \u2295 otimes \u2297 perp \u22a5 sdot \u22c5 lceil \u2308 "
            "rceil \u2309 lfloor \u230a rfloor \u230b lang \u27e8 rang \u27e9 colon : comma , "
            "period . excl ! quest ? num # dollar $ percnt % lpar ( rpar ) ast * plus + sol / "
            "semi ; equals = lsqb [ rsqb ] lowbar _ grave ` lcub { rcub } verbar | vert | "
            "hyphen \u2010"
        )

        legacy = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "AMP": "&", "LT": "<", "GT": ">", "QUOT": '"'}
        for i, name in enumerate(latin1.split()):
            legacy[name] = chr(160 + i)
        named = {"Tab": "\t", "NewLine": "\n", "bsol": "\\", "ensp": "\u2002", "emsp": "\u2003", "thinsp": "\u2009"}
        words = other.split()
        for i in range(0, len(words), 2):
            named[words[i]] = words[i + 1]
        _tables.append(legacy)
        _tables.append(named)
    return _tables[0], _tables[1]


def _invalid(num):
    """Code points a reference may not name (CPython drops them)."""
    return (
        0x1 <= num <= 0x8
        or 0xE <= num <= 0x1F
        or 0x7F <= num <= 0x9F
        or num == 0xB
        or 0xFDD0 <= num <= 0xFDEF
        or (num & 0xFFFE) == 0xFFFE
    )


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_HEX = "0123456789abcdefABCDEF"


def _numeric(s, i):
    """The reference `&#...` at s[i] (i at '#'): (text, end) or None."""
    j = i + 1
    base = 10
    digits = "0123456789"
    if j < len(s) and s[j] in "xX":
        base = 16
        digits = _HEX
        j += 1
    k = j
    while k < len(s) and s[k] in digits:
        k += 1
    if k == j:
        return None
    num = int(s[j:k], base)
    if k < len(s) and s[k] == ";":
        k += 1
    if 0x80 <= num <= 0x9F:
        # CPython's replacements for 0x80..0x9f (Windows-1252).
        cp1252 = (
            "\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f"
            "\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178"
        )
        return cp1252[num - 0x80], k
    if num == 0 or 0xD800 <= num <= 0xDFFF or num > 0x10FFFF:
        return "\ufffd", k
    if num == 0x0D:
        return "\r", k
    if _invalid(num):
        return "", k
    return chr(num), k


def unescape(s):
    if "&" not in s:
        return s
    out = []
    i, n = 0, len(s)
    while i < n:
        amp = s.find("&", i)
        if amp < 0:
            out.append(s[i:])
            break
        out.append(s[i:amp])
        j = amp + 1
        if j < n and s[j] == "#":
            got = _numeric(s, j)
            if got is None:
                out.append("&")
                i = j
                continue
            out.append(got[0])
            i = got[1]
            continue
        legacy, named = _entities()
        k = j
        while k < n and s[k] in _ALNUM:
            k += 1
        name = s[j:k]
        if k < n and s[k] == ";" and (name in named or name in legacy):
            out.append(named.get(name) or legacy[name])
            i = k + 1
            continue
        # The longest legacy name that prefixes the run (`&copy2024`).
        for m in range(len(name), 0, -1):
            if name[:m] in legacy:
                out.append(legacy[name[:m]])
                i = j + m
                break
        else:
            out.append("&")
            i = j
    return "".join(out)
