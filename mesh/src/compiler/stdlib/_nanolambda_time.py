"""The Python part of nanolambda's `time` (the VM's `time` is native):
`struct_time`, `gmtime`, `localtime`, `mktime`, `strftime`, `strptime`,
`asctime` and `ctime`, linked into a package that uses them. Local time
is UTC, as on Lambda. `struct_time` derives from list (it indexes, unpacks
and encodes like CPython's, but is not a tuple)."""

import time as _time

_FIELDS = ("tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday",
           "tm_isdst")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class struct_time(list):
    n_fields = 11
    n_sequence_fields = 9
    n_unnamed_fields = 0

    def __init__(self, seq, zone="UTC"):
        values = list(seq)
        if len(values) < 9:
            raise TypeError(
                "time.struct_time() takes an at least 9-sequence (%d-sequence given)" % len(values)
            )
        list.__init__(self, values[:9])
        self.tm_zone = values[9] if len(values) > 9 else zone
        self.tm_gmtoff = values[10] if len(values) > 10 else 0

    def __getattr__(self, name):
        if name in _FIELDS:
            return self[_FIELDS.index(name)]
        raise AttributeError("'time.struct_time' object has no attribute '%s'" % name)

    def __repr__(self):
        return "time.struct_time(%s)" % ", ".join(
            "%s=%r" % (name, value) for name, value in zip(_FIELDS, self)
        )


def _days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def _struct(secs, zone):
    if secs is None:
        secs = _time.time()
    if isinstance(secs, float):
        if secs != secs or secs in (float("inf"), float("-inf")):
            raise ValueError("Invalid value NaN (not a number)" if secs != secs else
                             "cannot convert float infinity to integer")
        secs = int(secs // 1)
    days, rem = divmod(secs, 86400)
    y, m, d = _civil_from_days(days)
    yday = days - _days_from_civil(y, 1, 1) + 1
    return struct_time((y, m, d, rem // 3600, rem // 60 % 60, rem % 60, (days + 3) % 7, yday, 0),
                       zone)


def gmtime(secs=None):
    return _struct(secs, "GMT")


def localtime(secs=None):
    return _struct(secs, "UTC")


def mktime(t):
    y, m, d, hh, mm, ss = t[:6]
    return float(_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss)


def asctime(t=None):
    if t is None:
        t = localtime()
    return "%s %s %2d %02d:%02d:%02d %d" % (_DAYS[t[6]], _MONTHS[t[1] - 1], t[2], t[3], t[4],
                                            t[5], t[0])


def ctime(secs=None):
    return asctime(localtime(secs))


def strftime(format, t=None):
    from datetime import datetime

    if t is None:
        t = localtime()
    zone = getattr(t, "tm_zone", "UTC") if isinstance(t, struct_time) else "UTC"
    parts = []
    i = 0
    while i < len(format):
        c = format[i]
        if c == "%" and i + 1 < len(format) and format[i + 1] in "Zz%":
            code = format[i + 1]
            parts.append(zone if code == "Z" else ("+0000" if code == "z" else "%%"))
            i += 2
        else:
            parts.append(c)
            i += 1
    return datetime(t[0], t[1], t[2], t[3], t[4], t[5]).strftime("".join(parts))


def strptime(string, format="%a %b %d %H:%M:%S %Y"):
    from datetime import datetime

    dt = datetime.strptime(string, format)
    yday = _days_from_civil(dt.year, dt.month, dt.day) - _days_from_civil(dt.year, 1, 1) + 1
    return struct_time((dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.weekday(),
                        yday, -1))
