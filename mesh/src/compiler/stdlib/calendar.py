"""calendar for nanolambda: CPython 3.11's calendar arithmetic and text
calendars (`isleap`, `leapdays`, `weekday`, `monthrange`, `monthcalendar`,
`timegm`, the English `day_name`/`day_abbr`/`month_name`/`month_abbr`,
`Calendar` and `TextCalendar` with the module-level `month`, `prmonth`,
`weekheader`, `calendar`...). Dates are computed here from proleptic
Gregorian ordinals, so importing it does not import `datetime` (only
`itermonthdates` and `monthdatescalendar`, which return `datetime.date`
values, do). The name tables, the classes and the functions bound to the
module's calendar are made on first use (PEP 562), so an import costs a
dozen functions. No `HTMLCalendar` and
no locales: names are always English, as in the C locale Lambda runs in."""

error = ValueError

January = 1
February = 2

mdays = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)

EPOCH = 1970
_EPOCH_ORD = 719163


class IllegalMonthError(ValueError):
    def __init__(self, month):
        self.month = month

    def __str__(self):
        return "bad month number %r; must be 1-12" % self.month


class IllegalWeekdayError(ValueError):
    def __init__(self, weekday):
        self.weekday = weekday

    def __str__(self):
        return "bad weekday number %r; must be 0 (Monday) to 6 (Sunday)" % self.weekday


_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
_MONTHS = (
    "January February March April May June July August September October "
    "November December"
)


def _names(kind):
    """The name table `kind` ("day_name", ...), made once and kept in the
    module's globals (where `calendar.day_name` finds it after that)."""
    table = globals().get("_table_" + kind)
    if table is None:
        if kind.startswith("day"):
            table = _DAYS.split()
        else:
            table = [""] + _MONTHS.split()
        if kind.endswith("abbr"):
            table = [n[:3] for n in table]
        globals()["_table_" + kind] = table
        globals()[kind] = table
    return table


def __getattr__(name):
    if name in ("day_name", "day_abbr", "month_name", "month_abbr"):
        return _names(name)
    if name in _LAZY:
        _classes()
        return globals()[name]
    raise AttributeError("module 'calendar' has no attribute '%s'" % name)


def isleap(year):
    """Return True for leap years, False for non-leap years."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def leapdays(y1, y2):
    """Return number of leap years in range [y1, y2)."""
    y1 -= 1
    y2 -= 1
    return (y2 // 4 - y1 // 4) - (y2 // 100 - y1 // 100) + (y2 // 400 - y1 // 400)


def _monthlen(year, month):
    return mdays[month] + (month == February and isleap(year))


def _ordinal(year, month, day):
    """`datetime.date(year, month, day).toordinal()`, with its checks."""
    if not 1 <= year <= 9999:
        raise ValueError("year %d is out of range" % year)
    if not 1 <= month <= 12:
        raise ValueError("month must be in 1..12")
    if not 1 <= day <= _monthlen(year, month):
        raise ValueError("day is out of range for month")
    y = year - 1
    before = sum(mdays[1:month]) + (month > February and isleap(year))
    return y * 365 + y // 4 - y // 100 + y // 400 + before + day


def weekday(year, month, day):
    """Return weekday (0-6 ~ Mon-Sun) for year, month (1-12), day (1-31)."""
    if not 1 <= year <= 9999:
        year = 2000 + year % 400
    return (_ordinal(year, month, day) + 6) % 7


def monthrange(year, month):
    """Return weekday (0-6 ~ Mon-Sun) and number of days (28-31) for
    year, month."""
    if not 1 <= month <= 12:
        raise IllegalMonthError(month)
    return weekday(year, month, 1), _monthlen(year, month)


def _prevmonth(year, month):
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _nextmonth(year, month):
    return (year + 1, 1) if month == 12 else (year, month + 1)


def timegm(tuple):
    """Unix timestamp of a UTC time tuple (year, month, day, hour, minute,
    second, ...)."""
    year, month, day, hour, minute, second = tuple[:6]
    days = _ordinal(year, month, 1) - _EPOCH_ORD + day - 1
    return ((days * 24 + hour) * 60 + minute) * 60 + second


def _weeks(items):
    return [items[i : i + 7] for i in range(0, len(items), 7)]


_LAZY = ("Calendar", "TextCalendar", "c", "firstweekday", "monthcalendar", "prweek", "week",
         "weekheader", "prmonth", "month", "calendar", "prcal")


def _classes():
    """Make Calendar, TextCalendar, the module's TextCalendar `c` and the
    functions bound to it (`month`, `monthcalendar`...) on first use, and
    keep them in the module's globals; returns `c`."""
    g = globals()
    if "c" not in g:

        class Calendar(object):
            """Month and year data (day numbers, weekday numbers, dates) with
            weeks starting on `firstweekday` (0 = Monday)."""

            def __init__(self, firstweekday=0):
                self.firstweekday = firstweekday

            def getfirstweekday(self):
                return self._firstweekday % 7

            def setfirstweekday(self, firstweekday):
                self._firstweekday = firstweekday

            firstweekday = property(getfirstweekday, setfirstweekday)

            def iterweekdays(self):
                for i in range(self.firstweekday, self.firstweekday + 7):
                    yield i % 7

            def itermonthdates(self, year, month):
                import datetime

                for y, m, d in self.itermonthdays3(year, month):
                    yield datetime.date(y, m, d)

            def itermonthdays(self, year, month):
                day1, ndays = monthrange(year, month)
                days_before = (day1 - self.firstweekday) % 7
                yield from [0] * days_before
                yield from range(1, ndays + 1)
                days_after = (self.firstweekday - day1 - ndays) % 7
                yield from [0] * days_after

            def itermonthdays2(self, year, month):
                for i, d in enumerate(self.itermonthdays(year, month), self.firstweekday):
                    yield d, i % 7

            def itermonthdays3(self, year, month):
                day1, ndays = monthrange(year, month)
                days_before = (day1 - self.firstweekday) % 7
                days_after = (self.firstweekday - day1 - ndays) % 7
                y, m = _prevmonth(year, month)
                end = _monthlen(y, m) + 1
                for d in range(end - days_before, end):
                    yield y, m, d
                for d in range(1, ndays + 1):
                    yield year, month, d
                y, m = _nextmonth(year, month)
                for d in range(1, days_after + 1):
                    yield y, m, d

            def itermonthdays4(self, year, month):
                for i, (y, m, d) in enumerate(self.itermonthdays3(year, month)):
                    yield y, m, d, (self.firstweekday + i) % 7

            def monthdatescalendar(self, year, month):
                return _weeks(list(self.itermonthdates(year, month)))

            def monthdays2calendar(self, year, month):
                return _weeks(list(self.itermonthdays2(year, month)))

            def monthdayscalendar(self, year, month):
                return _weeks(list(self.itermonthdays(year, month)))

            def _year(self, per_month, year, width):
                months = [per_month(year, i) for i in range(1, 13)]
                return [months[i : i + width] for i in range(0, len(months), width)]

            def yeardatescalendar(self, year, width=3):
                return self._year(self.monthdatescalendar, year, width)

            def yeardays2calendar(self, year, width=3):
                return self._year(self.monthdays2calendar, year, width)

            def yeardayscalendar(self, year, width=3):
                return self._year(self.monthdayscalendar, year, width)


        class TextCalendar(Calendar):
            """Plain-text calendars, as the Unix `cal` program prints them."""

            def prweek(self, theweek, width):
                print(self.formatweek(theweek, width), end="")

            def formatday(self, day, weekday, width):
                s = "" if day == 0 else "%2i" % day
                return s.center(width)

            def formatweek(self, theweek, width):
                return " ".join(self.formatday(d, wd, width) for (d, wd) in theweek)

            def formatweekday(self, day, width):
                names = _names("day_name" if width >= 9 else "day_abbr")
                return names[day][:width].center(width)

            def formatweekheader(self, width):
                return " ".join(self.formatweekday(i, width) for i in self.iterweekdays())

            def formatmonthname(self, theyear, themonth, width, withyear=True):
                s = _names("month_name")[themonth]
                if withyear:
                    s = "%s %r" % (s, theyear)
                return s.center(width)

            def prmonth(self, theyear, themonth, w=0, l=0):
                print(self.formatmonth(theyear, themonth, w, l), end="")

            def formatmonth(self, theyear, themonth, w=0, l=0):
                w = max(2, w)
                l = max(1, l)
                s = self.formatmonthname(theyear, themonth, 7 * (w + 1) - 1)
                s = s.rstrip()
                s += "\n" * l
                s += self.formatweekheader(w).rstrip()
                s += "\n" * l
                for week in self.monthdays2calendar(theyear, themonth):
                    s += self.formatweek(week, w).rstrip()
                    s += "\n" * l
                return s

            def formatyear(self, theyear, w=2, l=1, c=6, m=3):
                w = max(2, w)
                l = max(1, l)
                c = max(2, c)
                colwidth = (w + 1) * 7 - 1
                v = []
                a = v.append
                a(repr(theyear).center(colwidth * m + c * (m - 1)).rstrip())
                a("\n" * l)
                header = self.formatweekheader(w)
                for i, row in enumerate(self.yeardays2calendar(theyear, m)):
                    months = range(m * i + 1, min(m * (i + 1) + 1, 13))
                    a("\n" * l)
                    names = (self.formatmonthname(theyear, k, colwidth, False) for k in months)
                    a(formatstring(names, colwidth, c).rstrip())
                    a("\n" * l)
                    headers = (header for k in months)
                    a(formatstring(headers, colwidth, c).rstrip())
                    a("\n" * l)
                    height = max(len(cal) for cal in row)
                    for j in range(height):
                        weeks = []
                        for cal in row:
                            if j >= len(cal):
                                weeks.append("")
                            else:
                                weeks.append(self.formatweek(cal[j], w))
                        a(formatstring(weeks, colwidth, c).rstrip())
                        a("\n" * l)
                return "".join(v)

            def pryear(self, theyear, w=0, l=0, c=6, m=3):
                print(self.formatyear(theyear, w, l, c, m), end="")

        c = TextCalendar()
        g.update(
            Calendar=Calendar,
            TextCalendar=TextCalendar,
            c=c,
            firstweekday=c.getfirstweekday,
            monthcalendar=c.monthdayscalendar,
            prweek=c.prweek,
            week=c.formatweek,
            weekheader=c.formatweekheader,
            prmonth=c.prmonth,
            month=c.formatmonth,
            calendar=c.formatyear,
            prcal=c.pryear,
        )
    return g["c"]


def setfirstweekday(firstweekday):
    if not MONDAY <= firstweekday <= SUNDAY:
        raise IllegalWeekdayError(firstweekday)
    _classes().firstweekday = firstweekday


def format(cols, colwidth=20, spacing=6):
    """Prints multi-column formatting for year calendars."""
    print(formatstring(cols, colwidth, spacing))


def formatstring(cols, colwidth=20, spacing=6):
    """Returns a string formatted from n strings, centered within n columns."""
    spacing *= " "
    return spacing.join(c.center(colwidth) for c in cols)
