"""datetime for nanolambda functions: date, time, datetime, timedelta,
timezone (fixed offsets) and tzinfo, after CPython 3.11's pure-Python
_pydatetime, with its results, reprs and messages.

Differences: local time is UTC (as on AWS Lambda: now(), today(),
fromtimestamp() without a tz and timestamp() of a naive datetime use UTC);
only fixed-offset timezones (no zoneinfo); attributes are set when an
object is made (the VM has no properties) and the alternate constructors
(now, fromtimestamp, fromisoformat, strptime, combine...) are functions on
the class, so subclasses of datetime get plain datetime objects from
them; isocalendar() returns a plain tuple; no timetuple()/struct_time."""

import time as _time

MINYEAR = 1
MAXYEAR = 9999

_DAYS_IN_MONTH = [-1, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
_DAYS_BEFORE_MONTH = [-1]
_dbm = 0
for _dim in _DAYS_IN_MONTH[1:]:
    _DAYS_BEFORE_MONTH.append(_dbm)
    _dbm += _dim
del _dbm, _dim

_MONTHNAMES = [None, "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_FULLMONTHNAMES = [None, "January", "February", "March", "April", "May", "June", "July",
                   "August", "September", "October", "November", "December"]
_DAYNAMES = [None, "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_FULLDAYNAMES = [None, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


_TimeTuple = None


def _time_tuple(values):
    """What timetuple() returns: time.struct_time's fields by name (the
    class is made on first use: importing datetime stays small)."""
    global _TimeTuple
    if _TimeTuple is None:
        names = ("tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec",
                 "tm_wday", "tm_yday", "tm_isdst")

        class struct_time(list):
            def __init__(self, values):
                list.__init__(self, values)

            def __getattr__(self, name):
                if name in names:
                    return self[names.index(name)]
                raise AttributeError(
                    "'time.struct_time' object has no attribute '%s'" % name)

            def __repr__(self):
                return "time.struct_time(" + ", ".join(
                    "%s=%r" % (n, v) for n, v in zip(names, self)) + ")"

        _TimeTuple = struct_time
    return _TimeTuple(values)


def _cmp(x, y):
    return 0 if x == y else 1 if x > y else -1


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_before_year(year):
    y = year - 1
    return y * 365 + y // 4 - y // 100 + y // 400


def _days_in_month(year, month):
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month]


def _days_before_month(year, month):
    return _DAYS_BEFORE_MONTH[month] + (month > 2 and _is_leap(year))


def _ymd2ord(year, month, day):
    return _days_before_year(year) + _days_before_month(year, month) + day


_DI400Y = _days_before_year(401)
_DI100Y = _days_before_year(101)
_DI4Y = _days_before_year(5)


def _ord2ymd(n):
    n -= 1
    n400, n = divmod(n, _DI400Y)
    year = n400 * 400 + 1
    n100, n = divmod(n, _DI100Y)
    n4, n = divmod(n, _DI4Y)
    n1, n = divmod(n, 365)
    year += n100 * 100 + n4 * 4 + n1
    if n1 == 4 or n100 == 4:
        return year - 1, 12, 31
    leapyear = n1 == 3 and (n4 != 24 or n100 == 3)
    month = (n + 50) >> 5
    preceding = _DAYS_BEFORE_MONTH[month] + (month > 2 and leapyear)
    if preceding > n:
        month -= 1
        preceding -= _DAYS_IN_MONTH[month] + (month == 2 and leapyear)
    n -= preceding
    return year, month, n + 1


def _check_int(name, value):
    if not isinstance(value, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(value).__name__)
    return value


def _check_date_fields(year, month, day):
    _check_int("year", year)
    _check_int("month", month)
    _check_int("day", day)
    if not MINYEAR <= year <= MAXYEAR:
        raise ValueError("year %d is out of range" % year)
    if not 1 <= month <= 12:
        raise ValueError("month must be in 1..12")
    dim = _days_in_month(year, month)
    if not 1 <= day <= dim:
        raise ValueError("day is out of range for month")


def _check_time_fields(hour, minute, second, microsecond, fold):
    for v in (hour, minute, second, microsecond):
        _check_int("", v)
    if not 0 <= hour <= 23:
        raise ValueError("hour must be in 0..23")
    if not 0 <= minute <= 59:
        raise ValueError("minute must be in 0..59")
    if not 0 <= second <= 59:
        raise ValueError("second must be in 0..59")
    if not 0 <= microsecond <= 999999:
        raise ValueError("microsecond must be in 0..999999")
    if fold not in (0, 1):
        raise ValueError("fold must be either 0 or 1")


def _check_tzinfo(tz):
    if tz is not None and not isinstance(tz, tzinfo):
        raise TypeError("tzinfo argument must be None or of a tzinfo subclass")


def _format_offset(off, sep=":"):
    if off is None:
        return ""
    if off.days < 0:
        sign = "-"
        off = off.__neg__()
    else:
        sign = "+"
    hh, mm = divmod(off.days * 86400 + off.seconds, 3600)
    mm, ss = divmod(mm, 60)
    s = "%s%02d%s%02d" % (sign, hh, sep, mm)
    if ss or off.microseconds:
        s += "%s%02d" % (sep, ss)
        if off.microseconds:
            s += ".%06d" % off.microseconds
    return s


def _format_time(hh, mm, ss, us, timespec="auto"):
    if timespec == "auto":
        timespec = "microseconds" if us else "seconds"
    elif timespec == "milliseconds":
        us //= 1000
    if timespec == "hours":
        return "%02d" % hh
    if timespec == "minutes":
        return "%02d:%02d" % (hh, mm)
    if timespec == "seconds":
        return "%02d:%02d:%02d" % (hh, mm, ss)
    if timespec == "milliseconds":
        return "%02d:%02d:%02d.%03d" % (hh, mm, ss, us)
    if timespec == "microseconds":
        return "%02d:%02d:%02d.%06d" % (hh, mm, ss, us)
    raise ValueError("Unknown timespec value")


class timedelta:
    def __init__(self, days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0):
        for v in (days, seconds, microseconds, milliseconds, minutes, hours, weeks):
            if not isinstance(v, (int, float)):
                raise TypeError("unsupported type for timedelta %s component: %s" % ("days", type(v).__name__))
        # Component by component, as CPython does: no 64-bit overflow for
        # days up to 999999999, fractions carried down to microseconds.
        d = days + weeks * 7
        s = seconds + minutes * 60 + hours * 3600
        us = microseconds + milliseconds * 1000
        if isinstance(d, float):
            whole = int(d)
            s = s + (d - whole) * 86400
            d = whole
        if isinstance(s, float):
            whole = int(s)
            us = us + (s - whole) * 1000000
            s = whole
        if isinstance(us, float):
            us = round(us)
        c, us = divmod(us, 1000000)
        s += c
        c, s = divmod(s, 86400)
        d += c
        if abs(d) > 999999999:
            raise OverflowError("days=%d; must have magnitude <= 999999999" % d)
        self.days = d
        self.seconds = s
        self.microseconds = us

    def _key(self):
        return (self.days, self.seconds, self.microseconds)

    def _us(self):
        return (self.days * 86400 + self.seconds) * 1000000 + self.microseconds

    def total_seconds(self):
        return self._us() / 10 ** 6

    def __repr__(self):
        args = []
        if self.days:
            args.append("days=%d" % self.days)
        if self.seconds:
            args.append("seconds=%d" % self.seconds)
        if self.microseconds:
            args.append("microseconds=%d" % self.microseconds)
        if not args:
            args.append("0")
        return "datetime.timedelta(%s)" % ", ".join(args)

    def __str__(self):
        mm, ss = divmod(self.seconds, 60)
        hh, mm = divmod(mm, 60)
        s = "%d:%02d:%02d" % (hh, mm, ss)
        if self.days:
            s = "%d day%s, " % (self.days, "s" if abs(self.days) != 1 else "") + s
        if self.microseconds:
            s = s + ".%06d" % self.microseconds
        return s

    def __add__(self, other):
        if isinstance(other, timedelta):
            return timedelta(self.days + other.days, self.seconds + other.seconds,
                             self.microseconds + other.microseconds)
        return NotImplemented

    def __radd__(self, other):
        return self.__add__(other)

    def __sub__(self, other):
        if isinstance(other, timedelta):
            return timedelta(self.days - other.days, self.seconds - other.seconds,
                             self.microseconds - other.microseconds)
        return NotImplemented

    def __neg__(self):
        return timedelta(-self.days, -self.seconds, -self.microseconds)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.__neg__() if self.days < 0 else self

    def __mul__(self, other):
        if isinstance(other, int):
            return timedelta(microseconds=self._us() * other)
        if isinstance(other, float):
            return timedelta(microseconds=round(self._us() * other))
        return NotImplemented

    def __rmul__(self, other):
        return self.__mul__(other)

    def __truediv__(self, other):
        if isinstance(other, timedelta):
            return self._us() / other._us()
        if isinstance(other, int):
            return timedelta(microseconds=round(self._us() / other))
        if isinstance(other, float):
            return timedelta(microseconds=round(self._us() / other))
        return NotImplemented

    def __floordiv__(self, other):
        if isinstance(other, timedelta):
            return self._us() // other._us()
        if isinstance(other, int):
            return timedelta(microseconds=self._us() // other)
        return NotImplemented

    def __mod__(self, other):
        if isinstance(other, timedelta):
            return timedelta(microseconds=self._us() % other._us())
        return NotImplemented

    def __eq__(self, other):
        return isinstance(other, timedelta) and self._key() == other._key()

    def __lt__(self, other):
        if not isinstance(other, timedelta):
            raise TypeError("'<' not supported between instances of 'timedelta' and '%s'" % type(other).__name__)
        return self._key() < other._key()

    def __le__(self, other):
        return self == other or self < other

    def __gt__(self, other):
        return not self <= other

    def __ge__(self, other):
        return not self < other

    def __hash__(self):
        return hash(self._key())

    def __bool__(self):
        return self._key() != (0, 0, 0)


timedelta.min = timedelta(-999999999)
timedelta.max = timedelta(days=999999999, hours=23, minutes=59, seconds=59, microseconds=999999)
timedelta.resolution = timedelta(microseconds=1)


class tzinfo:
    def tzname(self, dt):
        raise NotImplementedError("tzinfo subclass must override tzname()")

    def utcoffset(self, dt):
        raise NotImplementedError("tzinfo subclass must override utcoffset()")

    def dst(self, dt):
        raise NotImplementedError("tzinfo subclass must override dst()")


class timezone(tzinfo):
    def __init__(self, offset, name=None):
        if not isinstance(offset, timedelta):
            raise TypeError("offset must be a timedelta")
        if name is not None and not isinstance(name, str):
            raise TypeError("name must be a string")
        if not timedelta(hours=-24) < offset < timedelta(hours=24):
            raise ValueError("offset must be a timedelta strictly between -timedelta(hours=24) "
                             "and timedelta(hours=24), not %r." % (offset,))
        self._offset = offset
        self._name = name

    def utcoffset(self, dt):
        return self._offset

    def dst(self, dt):
        return None

    def tzname(self, dt):
        if self._name is not None:
            return self._name
        if not self._offset:
            return "UTC"
        return "UTC" + _format_offset(self._offset)

    def __str__(self):
        return self.tzname(None)

    def __repr__(self):
        if self is timezone.utc:
            return "datetime.timezone.utc"
        if self._name is None:
            return "datetime.timezone(%r)" % (self._offset,)
        return "datetime.timezone(%r, %r)" % (self._offset, self._name)

    def __eq__(self, other):
        return isinstance(other, timezone) and self._offset == other._offset

    def __hash__(self):
        return hash(self._offset)


timezone.utc = timezone(timedelta(0))
timezone.min = timezone(timedelta(hours=-23, minutes=-59))
timezone.max = timezone(timedelta(hours=23, minutes=59))
UTC = timezone.utc


def _wrap_strftime(obj, fmt, has_time):
    out = []
    i = 0
    n = len(fmt)
    while i < n:
        ch = fmt[i]
        i += 1
        if ch != "%" or i >= n:
            out.append(ch)
            continue
        c = fmt[i]
        i += 1
        y = obj.year
        if c == "Y":
            out.append("%d" % y if y >= 1000 else "%04d" % y)
        elif c == "m":
            out.append("%02d" % obj.month)
        elif c == "d":
            out.append("%02d" % obj.day)
        elif c == "y":
            out.append("%02d" % (y % 100))
        elif c == "H":
            out.append("%02d" % (obj.hour if has_time else 0))
        elif c == "I":
            h = (obj.hour if has_time else 0) % 12
            out.append("%02d" % (h or 12))
        elif c == "M":
            out.append("%02d" % (obj.minute if has_time else 0))
        elif c == "S":
            out.append("%02d" % (obj.second if has_time else 0))
        elif c == "f":
            out.append("%06d" % (obj.microsecond if has_time else 0))
        elif c == "p":
            out.append("PM" if has_time and obj.hour >= 12 else "AM")
        elif c == "j":
            out.append("%03d" % (_days_before_month(y, obj.month) + obj.day))
        elif c == "a":
            out.append(_DAYNAMES[obj.isoweekday()])
        elif c == "A":
            out.append(_FULLDAYNAMES[obj.isoweekday()])
        elif c == "b" or c == "h":
            out.append(_MONTHNAMES[obj.month])
        elif c == "B":
            out.append(_FULLMONTHNAMES[obj.month])
        elif c == "w":
            out.append("%d" % (obj.isoweekday() % 7))
        elif c == "u":
            out.append("%d" % obj.isoweekday())
        elif c == "z":
            off = obj.utcoffset() if has_time else None
            out.append(_format_offset(off, "") if off is not None else "")
        elif c == "Z":
            tz = obj.tzname() if has_time else None
            out.append(tz or "")
        elif c == "G":
            out.append("%04d" % obj.isocalendar()[0])
        elif c == "V":
            out.append("%02d" % obj.isocalendar()[1])
        elif c == "U":
            yday = _days_before_month(y, obj.month) + obj.day - 1
            wday = obj.isoweekday() % 7
            out.append("%02d" % ((yday + 7 - wday) // 7))
        elif c == "W":
            yday = _days_before_month(y, obj.month) + obj.day - 1
            wday = (obj.isoweekday() + 6) % 7
            out.append("%02d" % ((yday + 7 - wday) // 7))
        elif c == "c":
            out.append(obj.ctime() if has_time else date.ctime(obj))
        elif c == "x":
            out.append("%02d/%02d/%02d" % (obj.month, obj.day, y % 100))
        elif c == "X":
            out.append("%02d:%02d:%02d" % ((obj.hour, obj.minute, obj.second) if has_time else (0, 0, 0)))
        elif c == "%":
            out.append("%")
        else:
            out.append("%" + c)
    return "".join(out)


class date:
    def __init__(self, year, month=None, day=None):
        _check_date_fields(year, month, day)
        self.year = year
        self.month = month
        self.day = day

    def _date_key(self):
        return (self.year, self.month, self.day)

    def toordinal(self):
        return _ymd2ord(self.year, self.month, self.day)

    def timetuple(self):
        hh = getattr(self, "hour", 0)
        mm = getattr(self, "minute", 0)
        ss = getattr(self, "second", 0)
        dst = -1
        if getattr(self, "tzinfo", None) is not None:
            d = self.dst()
            dst = -1 if d is None else (1 if d else 0)
        yday = self.toordinal() - _ymd2ord(self.year, 1, 1) + 1
        return _time_tuple((self.year, self.month, self.day, hh, mm, ss, self.weekday(), yday, dst))

    def utctimetuple(self):
        off = self.utcoffset() if hasattr(self, "utcoffset") and getattr(self, "tzinfo", None) else None
        t = self - off if off else self
        tt = list(t.timetuple())
        tt[8] = 0
        return _time_tuple(tt)

    def weekday(self):
        return (self.toordinal() + 6) % 7

    def isoweekday(self):
        return self.toordinal() % 7 or 7

    def isocalendar(self):
        year = self.year
        week1monday = _isoweek1monday(year)
        today = _ymd2ord(self.year, self.month, self.day)
        week, day = divmod(today - week1monday, 7)
        if week < 0:
            year -= 1
            week1monday = _isoweek1monday(year)
            week, day = divmod(today - week1monday, 7)
        elif week >= 52:
            if today >= _isoweek1monday(year + 1):
                year += 1
                week = 0
        return (year, week + 1, day + 1)

    def isoformat(self):
        return "%04d-%02d-%02d" % (self.year, self.month, self.day)

    def __str__(self):
        return self.isoformat()

    def __repr__(self):
        return "datetime.date(%d, %d, %d)" % (self.year, self.month, self.day)

    def ctime(self):
        weekday = self.toordinal() % 7 or 7
        return "%s %s %2d 00:00:00 %04d" % (_DAYNAMES[weekday], _MONTHNAMES[self.month], self.day, self.year)

    def strftime(self, fmt):
        return _wrap_strftime(self, fmt, False)

    def __format__(self, fmt):
        if not isinstance(fmt, str):
            raise TypeError("must be str, not %s" % type(fmt).__name__)
        if len(fmt) != 0:
            return self.strftime(fmt)
        return str(self)

    def replace(self, year=None, month=None, day=None):
        return date(self.year if year is None else year, self.month if month is None else month,
                    self.day if day is None else day)

    def __add__(self, other):
        if isinstance(other, timedelta):
            o = self.toordinal() + other.days
            if 0 < o <= 3652059:
                return date.fromordinal(o)
            raise OverflowError("result out of range")
        return NotImplemented

    def __radd__(self, other):
        return self.__add__(other)

    def __sub__(self, other):
        if isinstance(other, timedelta):
            return self + timedelta(-other.days)
        if isinstance(other, date) and not isinstance(other, datetime):
            return timedelta(self.toordinal() - other.toordinal())
        return NotImplemented

    def __eq__(self, other):
        if isinstance(other, date) and not isinstance(other, datetime) and not isinstance(self, datetime):
            return self._date_key() == other._date_key()
        return False

    def _compare(self, other, op):
        """-1, 0 or 1 (datetime overrides it; the ordering methods below
        serve both classes)."""
        if not isinstance(other, date) or isinstance(other, datetime):
            raise TypeError("'%s' not supported between instances of '%s' and '%s'"
                            % (op, type(self).__name__, type(other).__name__))
        return _cmp(self._date_key(), other._date_key())

    def __lt__(self, other):
        return self._compare(other, "<") < 0

    def __le__(self, other):
        return self._compare(other, "<=") <= 0

    def __gt__(self, other):
        return self._compare(other, ">") > 0

    def __ge__(self, other):
        return self._compare(other, ">=") >= 0

    def __hash__(self):
        return hash(self._date_key())


def _isoweek1monday(year):
    firstday = _ymd2ord(year, 1, 1)
    firstweekday = (firstday + 6) % 7
    week1monday = firstday - firstweekday
    if firstweekday > 3:
        week1monday += 7
    return week1monday


def _date_fromordinal(n):
    y, m, d = _ord2ymd(n)
    return date(y, m, d)


def _date_fromtimestamp(t):
    dt = _datetime_fromtimestamp(t)
    return date(dt.year, dt.month, dt.day)


def _date_today():
    return _date_fromtimestamp(_time.time())


def _date_fromisoformat(s):
    if not isinstance(s, str):
        raise TypeError("fromisoformat: argument must be str")
    try:
        y, m, d = _parse_isoformat_date(s)
        if len(s) not in (7, 8, 10):
            raise ValueError()
        return date(y, m, d)
    except (ValueError, IndexError):
        raise ValueError("Invalid isoformat string: %r" % (s,))


def _date_fromisocalendar(year, week, day):
    if not MINYEAR <= year <= MAXYEAR:
        raise ValueError("Year is out of range: %d" % year)
    if not 0 < week < 53:
        out_of_range = True
        if week == 53:
            first_weekday = _ymd2ord(year, 1, 1) % 7
            if first_weekday == 4 or (first_weekday == 3 and _is_leap(year)):
                out_of_range = False
        if out_of_range:
            raise ValueError("Invalid week: %d" % week)
    if not 0 < day < 8:
        raise ValueError("Invalid weekday: %d (range is [1, 7])" % day)
    day_1 = _isoweek1monday(year)
    return date.fromordinal(day_1 + (week - 1) * 7 + (day - 1))


date.fromordinal = _date_fromordinal
date.fromtimestamp = _date_fromtimestamp
date.today = _date_today
date.fromisoformat = _date_fromisoformat
date.fromisocalendar = _date_fromisocalendar


class time:
    def __init__(self, hour=0, minute=0, second=0, microsecond=0, tzinfo=None, *, fold=0):
        _check_time_fields(hour, minute, second, microsecond, fold)
        _check_tzinfo(tzinfo)
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
        self.tzinfo = tzinfo
        self.fold = fold

    def utcoffset(self):
        return None if self.tzinfo is None else self.tzinfo.utcoffset(None)

    def tzname(self):
        return None if self.tzinfo is None else self.tzinfo.tzname(None)

    def isoformat(self, timespec="auto"):
        s = _format_time(self.hour, self.minute, self.second, self.microsecond, timespec)
        off = self.utcoffset()
        if off is not None:
            s += _format_offset(off)
        return s

    def __str__(self):
        return self.isoformat()

    def __repr__(self):
        if self.microsecond:
            s = ", %d, %d" % (self.second, self.microsecond)
        elif self.second:
            s = ", %d" % self.second
        else:
            s = ""
        s = "datetime.time(%d, %d%s)" % (self.hour, self.minute, s)
        if self.tzinfo is not None:
            s = s[:-1] + ", tzinfo=%r)" % self.tzinfo
        return s

    def strftime(self, fmt):
        return _wrap_strftime(_TimeView(self), fmt, True)

    def replace(self, hour=None, minute=None, second=None, microsecond=None, tzinfo=True, *, fold=None):
        return time(self.hour if hour is None else hour, self.minute if minute is None else minute,
                    self.second if second is None else second,
                    self.microsecond if microsecond is None else microsecond,
                    self.tzinfo if tzinfo is True else tzinfo, fold=self.fold if fold is None else fold)

    def _key(self):
        return (self.hour, self.minute, self.second, self.microsecond)

    def __eq__(self, other):
        return isinstance(other, time) and self._key() == other._key() and self.utcoffset() == other.utcoffset()

    def __lt__(self, other):
        return self._key() < other._key()

    def __le__(self, other):
        return self._key() <= other._key()

    def __gt__(self, other):
        return self._key() > other._key()

    def __ge__(self, other):
        return self._key() >= other._key()

    def __hash__(self):
        return hash(self._key())

    def __bool__(self):
        return True


class _TimeView:
    """A time seen through strftime (the date fields of 1900-01-01)."""

    def __init__(self, t):
        self.year, self.month, self.day = 1900, 1, 1
        self.hour, self.minute, self.second, self.microsecond = t.hour, t.minute, t.second, t.microsecond
        self._t = t

    def isoweekday(self):
        return 1

    def isocalendar(self):
        return (1900, 1, 1)

    def utcoffset(self):
        return self._t.utcoffset()

    def tzname(self):
        return self._t.tzname()

    def ctime(self):
        return "Mon Jan  1 %02d:%02d:%02d 1900" % (self.hour, self.minute, self.second)


time.min = time(0, 0, 0)
time.max = time(23, 59, 59, 999999)
time.resolution = timedelta(microseconds=1)

_EPOCH_ORD = 719163


class datetime(date):
    def __init__(self, year, month=None, day=None, hour=0, minute=0, second=0, microsecond=0, tzinfo=None, *,
                 fold=0):
        _check_date_fields(year, month, day)
        _check_time_fields(hour, minute, second, microsecond, fold)
        _check_tzinfo(tzinfo)
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
        self.tzinfo = tzinfo
        self.fold = fold

    def _us_local(self):
        days = _ymd2ord(self.year, self.month, self.day) - _EPOCH_ORD
        return ((days * 86400 + self.hour * 3600 + self.minute * 60 + self.second) * 1000000
                + self.microsecond)

    def utcoffset(self):
        if self.tzinfo is None:
            return None
        return self.tzinfo.utcoffset(self)

    def tzname(self):
        if self.tzinfo is None:
            return None
        return self.tzinfo.tzname(self)

    def dst(self):
        if self.tzinfo is None:
            return None
        return self.tzinfo.dst(self)

    def _us_utc(self):
        off = self.utcoffset()
        us = self._us_local()
        if off is not None:
            us -= off._us()
        return us

    def timestamp(self):
        return self._us_utc() / 10 ** 6

    def date(self):
        return date(self.year, self.month, self.day)

    def time(self):
        return time(self.hour, self.minute, self.second, self.microsecond, fold=self.fold)

    def timetz(self):
        return time(self.hour, self.minute, self.second, self.microsecond, self.tzinfo, fold=self.fold)

    def replace(self, year=None, month=None, day=None, hour=None, minute=None, second=None,
                microsecond=None, tzinfo=True, *, fold=None):
        return datetime(self.year if year is None else year, self.month if month is None else month,
                        self.day if day is None else day, self.hour if hour is None else hour,
                        self.minute if minute is None else minute, self.second if second is None else second,
                        self.microsecond if microsecond is None else microsecond,
                        self.tzinfo if tzinfo is True else tzinfo, fold=self.fold if fold is None else fold)

    def astimezone(self, tz=None):
        if tz is None:
            tz = timezone.utc
        elif not isinstance(tz, tzinfo):
            raise TypeError("tz argument must be an instance of tzinfo")
        us = self._us_utc()
        off = tz.utcoffset(None)
        return _from_us(us + off._us(), tz)

    def isoformat(self, sep="T", timespec="auto"):
        s = "%04d-%02d-%02d%s" % (self.year, self.month, self.day, sep) + \
            _format_time(self.hour, self.minute, self.second, self.microsecond, timespec)
        off = self.utcoffset()
        if off is not None:
            s += _format_offset(off)
        return s

    def __str__(self):
        return self.isoformat(sep=" ")

    def __repr__(self):
        L = [self.year, self.month, self.day, self.hour, self.minute, self.second, self.microsecond]
        if L[-1] == 0:
            del L[-1]
        if L[-1] == 0:
            del L[-1]
        s = "datetime.datetime(%s)" % ", ".join(map(str, L))
        if self.tzinfo is not None:
            s = s[:-1] + ", tzinfo=%r" % self.tzinfo + ")"
        if self.fold:
            s = s[:-1] + ", fold=1)"
        return s

    def ctime(self):
        weekday = self.toordinal() % 7 or 7
        return "%s %s %2d %02d:%02d:%02d %04d" % (_DAYNAMES[weekday], _MONTHNAMES[self.month], self.day,
                                                   self.hour, self.minute, self.second, self.year)

    def strftime(self, fmt):
        return _wrap_strftime(self, fmt, True)

    def __add__(self, other):
        if not isinstance(other, timedelta):
            return NotImplemented
        return _from_us(self._us_local() + other._us(), self.tzinfo)

    def __radd__(self, other):
        return self.__add__(other)

    def __sub__(self, other):
        if isinstance(other, timedelta):
            return _from_us(self._us_local() - other._us(), self.tzinfo)
        if not isinstance(other, datetime):
            return NotImplemented
        if (self.tzinfo is None) != (other.tzinfo is None):
            raise TypeError("can't subtract offset-naive and offset-aware datetimes")
        return timedelta(microseconds=self._us_utc() - other._us_utc())

    def _compare(self, other, op):
        if not isinstance(other, datetime):
            if op == "==":
                return None
            raise TypeError("'%s' not supported between instances of 'datetime.datetime' and '%s'"
                            % (op, type(other).__name__))
        if (self.tzinfo is None) != (other.tzinfo is None):
            if op == "==":
                return None
            raise TypeError("can't compare offset-naive and offset-aware datetimes")
        return _cmp(self._us_utc(), other._us_utc())

    def __eq__(self, other):
        return self._compare(other, "==") == 0

    def __hash__(self):
        return hash(self._us_utc())


def _from_us(us, tz=None):
    days, rest = divmod(us, 86400000000)
    y, m, d = _ord2ymd(days + _EPOCH_ORD)
    secs, micro = divmod(rest, 1000000)
    hh, rest = divmod(secs, 3600)
    mm, ss = divmod(rest, 60)
    return datetime(y, m, d, hh, mm, ss, micro, tz)


def _datetime_fromtimestamp(t, tz=None):
    if not isinstance(t, (int, float)):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(t).__name__)
    _check_tzinfo(tz)
    if isinstance(t, int):
        us = t * 1000000
    else:
        whole = int(t // 1)
        frac = t - whole
        us = whole * 1000000 + round(frac * 1e6)
    if tz is None:
        return _from_us(us)
    return _from_us(us + tz.utcoffset(None)._us(), tz)


def _datetime_utcfromtimestamp(t):
    return _datetime_fromtimestamp(t)


def _datetime_now(tz=None):
    return _datetime_fromtimestamp(_time.time(), tz)


def _datetime_utcnow():
    return _datetime_fromtimestamp(_time.time())


def _datetime_today():
    return _datetime_fromtimestamp(_time.time())


def _datetime_combine(d, t, tzinfo=True):
    if not isinstance(d, date):
        raise TypeError("date argument must be a date instance")
    if not isinstance(t, time):
        raise TypeError("time argument must be a time instance")
    if tzinfo is True:
        tzinfo = t.tzinfo
    return datetime(d.year, d.month, d.day, t.hour, t.minute, t.second, t.microsecond, tzinfo, fold=t.fold)


def _datetime_fromordinal(n):
    y, m, d = _ord2ymd(n)
    return datetime(y, m, d)


def _parse_isoformat_date(s):
    year = int(s[0:4])
    if s[4:5] == "-":
        month = int(s[5:7])
        if s[7:8] == "-":
            day = int(s[8:10])
        else:
            raise ValueError("Invalid date separator")
    else:
        month = int(s[4:6])
        day = int(s[6:8])
    for part in (s[0:4],):
        if not part.isdigit():
            raise ValueError("bad year")
    return year, month, day


def _parse_hh_mm_ss_ff(s):
    hh = int(s[0:2])
    pos = 2
    mm = ss = us = 0
    has_sep = s[pos:pos + 1] == ":"
    if pos < len(s):
        if has_sep:
            pos += 1
        mm = int(s[pos:pos + 2])
        pos += 2
        if pos < len(s):
            if has_sep:
                if s[pos] != ":":
                    raise ValueError("Invalid time separator")
                pos += 1
            ss = int(s[pos:pos + 2])
            pos += 2
            if pos < len(s):
                if s[pos] not in ".,":
                    raise ValueError("Invalid microsecond component")
                digits = s[pos + 1:]
                if not digits or not digits.isdigit():
                    raise ValueError("Invalid microsecond component")
                digits = (digits + "000000")[:6]
                us = int(digits)
    for part in (s[0:2],):
        if not part.isdigit():
            raise ValueError("bad hour")
    return hh, mm, ss, us


def _parse_isoformat_time(s):
    tz = None
    tz_pos = -1
    for i in range(len(s)):
        if s[i] in "+-Z":
            tz_pos = i
            break
    time_part = s if tz_pos < 0 else s[:tz_pos]
    hh, mm, ss, us = _parse_hh_mm_ss_ff(time_part)
    if tz_pos >= 0:
        tzs = s[tz_pos:]
        if tzs == "Z":
            tz = timezone.utc
        else:
            sign = -1 if tzs[0] == "-" else 1
            th, tm, ts, tus = _parse_hh_mm_ss_ff(tzs[1:])
            td = timedelta(hours=th, minutes=tm, seconds=ts, microseconds=tus) * sign
            tz = timezone.utc if not td else timezone(td)
    return hh, mm, ss, us, tz


def _datetime_fromisoformat(s):
    if not isinstance(s, str):
        raise TypeError("fromisoformat: argument must be str")
    if len(s) < 7:
        raise ValueError("Invalid isoformat string: %r" % (s,))
    try:
        if len(s) >= 10 and s[4:5] == "-":
            date_len = 10
        elif len(s) >= 8 and s[4:5] != "-":
            date_len = 8
        else:
            date_len = 10
        y, m, d = _parse_isoformat_date(s[:date_len])
        rest = s[date_len:]
        if rest:
            if rest[0] not in "T t":
                raise ValueError("bad separator")
            hh, mm, ss, us, tz = _parse_isoformat_time(rest[1:])
        else:
            hh = mm = ss = us = 0
            tz = None
    except (ValueError, IndexError):
        raise ValueError("Invalid isoformat string: %r" % (s,))
    return datetime(y, m, d, hh, mm, ss, us, tz)


def _strptime(data, fmt):
    if not isinstance(data, str):
        raise TypeError("strptime() argument 1 must be str, not %s" % type(data).__name__)
    if not isinstance(fmt, str):
        raise TypeError("strptime() argument 2 must be str, not %s" % type(fmt).__name__)
    fail = ValueError("time data %r does not match format %r" % (data, fmt))
    year, month, day, hour, minute, second, us = 1900, 1, 1, 0, 0, 0, 0
    ampm = None
    tz = None
    yday = None
    i = 0
    j = 0
    n = len(fmt)

    def number(pos, width, lo=0, hi=None, least=1):
        # CPython's directive regexes: the longest run of `least` to `width`
        # digits whose value is in lo..hi ("13" for %m takes the "1").
        end = pos
        while end < len(data) and end - pos < width and data[end].isdigit():
            end += 1
        while end - pos >= least:
            v = int(data[pos:end])
            if lo <= v and (hi is None or v <= hi):
                return v, end
            end -= 1
        raise fail

    def name(pos, names):
        for k in range(len(names) - 1, 0, -1):
            cand = names[k]
            if data[pos:pos + len(cand)].lower() == cand.lower():
                return k, pos + len(cand)
        raise fail

    while i < n:
        c = fmt[i]
        if c != "%":
            if c.isspace():
                while j < len(data) and data[j].isspace():
                    j += 1
                i += 1
                continue
            if j >= len(data) or data[j] != c:
                raise fail
            i += 1
            j += 1
            continue
        i += 1
        if i >= n:
            raise ValueError("stray % in format '%s'" % fmt)
        d = fmt[i]
        i += 1
        if d == "Y":
            year, j = number(j, 4, least=4)
        elif d == "y":
            v, j = number(j, 2, least=2)
            year = v + (2000 if v < 69 else 1900)
        elif d == "m":
            month, j = number(j, 2, 1, 12)
        elif d == "d":
            day, j = number(j, 2, 1, 31)
        elif d == "H":
            hour, j = number(j, 2, 0, 23)
        elif d == "I":
            hour, j = number(j, 2, 1, 12)
            if ampm is None:
                ampm = "?"
        elif d == "M":
            minute, j = number(j, 2, 0, 59)
        elif d == "S":
            second, j = number(j, 2, 0, 61)
        elif d == "f":
            start = j
            v, j = number(j, 6)
            us = v * 10 ** (6 - (j - start))
        elif d == "j":
            yday, j = number(j, 3, 1, 366)
        elif d == "p":
            if data[j:j + 2].upper() == "AM":
                ampm = "AM"
            elif data[j:j + 2].upper() == "PM":
                ampm = "PM"
            else:
                raise fail
            j += 2
        elif d == "b" or d == "h":
            month, j = name(j, _MONTHNAMES)
        elif d == "B":
            month, j = name(j, _FULLMONTHNAMES)
        elif d == "a":
            _, j = name(j, _DAYNAMES)
        elif d == "A":
            _, j = name(j, _FULLDAYNAMES)
        elif d == "z":
            if data[j:j + 1] == "Z":
                tz = timezone.utc
                j += 1
            else:
                if data[j:j + 1] not in ("+", "-"):
                    raise fail
                sign = -1 if data[j] == "-" else 1
                j += 1
                hh, j = number(j, 2)
                if data[j:j + 1] == ":":
                    j += 1
                mm, j = number(j, 2)
                ss = 0
                if data[j:j + 1] == ":":
                    j += 1
                    ss, j = number(j, 2)
                td = timedelta(hours=hh, minutes=mm, seconds=ss) * sign
                tz = timezone(td) if td else timezone.utc
        elif d == "Z":
            if data[j:j + 3].upper() in ("UTC", "GMT"):
                j += 3
            else:
                raise fail
        elif d == "%":
            if data[j:j + 1] != "%":
                raise fail
            j += 1
        else:
            raise ValueError("'%s' is a bad directive in format '%s'" % (d, "%" + d))
    if j != len(data):
        raise ValueError("unconverted data remains: %s" % data[j:])
    if ampm == "PM" and hour != 12:
        hour += 12
    elif ampm == "AM" and hour == 12:
        hour = 0
    if yday is not None:
        dt = datetime.fromordinal(_ymd2ord(year, 1, 1) + yday - 1)
        month, day = dt.month, dt.day
    return datetime(year, month, day, hour, minute, second, us, tz)


datetime.fromtimestamp = _datetime_fromtimestamp
datetime.utcfromtimestamp = _datetime_utcfromtimestamp
datetime.now = _datetime_now
datetime.utcnow = _datetime_utcnow
datetime.today = _datetime_today
datetime.combine = _datetime_combine
datetime.fromordinal = _datetime_fromordinal
datetime.fromisoformat = _datetime_fromisoformat
datetime.strptime = _strptime
datetime.min = datetime(1, 1, 1)
datetime.max = datetime(9999, 12, 31, 23, 59, 59, 999999)
datetime.resolution = timedelta(microseconds=1)
date.min = date(1, 1, 1)
date.max = date(9999, 12, 31)
date.resolution = timedelta(days=1)
