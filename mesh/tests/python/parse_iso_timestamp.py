# event: {"stamps": ["2026-11-27T09:05:12Z", "2024-02-29T23:59:59Z", "1999-12-31T00:00:00Z"]}
def days_before_month(year, month):
    days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    total = sum(days[:month - 1])
    if leap and month > 2:
        total += 1
    return total

def to_epoch(stamp):
    date, clock = stamp.rstrip("Z").split("T")
    y, m, d = [int(x) for x in date.split("-")]
    hh, mm, ss = map(int, clock.split(":"))
    days = (y - 1970) * 365 + (y - 1969) // 4 - (y - 1901) // 100 + (y - 1601) // 400
    days += days_before_month(y, m) + d - 1
    return days * 86400 + hh * 3600 + mm * 60 + ss

def handler(event, context):
    return {s: to_epoch(s) for s in event["stamps"]}
