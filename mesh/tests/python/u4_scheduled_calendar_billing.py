# event: {"version": "0", "id": "cdc73f9d", "detail-type": "Scheduled Event", "source": "aws.events", "account": "123456789012", "time": "2024-02-29T06:00:00Z", "region": "us-east-1", "resources": ["arn:aws:events:us-east-1:123456789012:rule/monthly-billing"], "detail": {}}
# arena-kib: 128
import calendar
from datetime import date, datetime, timedelta, timezone


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def billing_period(day: date):
    first = day.replace(day=1)
    last_day = calendar.monthrange(day.year, day.month)[1]
    return first, day.replace(day=last_day)


def business_days(start: date, end: date) -> int:
    count = 0
    current = start
    while current <= end:
        if current.weekday() < calendar.SATURDAY:
            count += 1
        current += timedelta(days=1)
    return count


def next_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def handler(event, context):
    now = parse_time(event["time"])
    today = now.date()
    start, end = billing_period(today)
    elapsed = now - datetime.combine(start, datetime.min.time(), tzinfo=timezone.utc)
    days_in_month = (end - start).days + 1
    weeks = calendar.monthcalendar(today.year, today.month)
    return {
        "rule": event["resources"][0].rsplit("/", 1)[-1],
        "period": [start.isoformat(), end.isoformat()],
        "isLastDay": today == end,
        "leap": calendar.isleap(today.year),
        "leapDays": calendar.leapdays(2000, 2025),
        "weekday": calendar.day_name[today.weekday()],
        "monthName": calendar.month_name[today.month],
        "abbr": [calendar.month_abbr[m] for m in (1, 6, 12)],
        "businessDays": business_days(start, end),
        "elapsedHours": elapsed.total_seconds() / 3600,
        "progress": round(elapsed / timedelta(days=days_in_month), 4),
        "nextRun": next_month(today).isoformat(),
        "weeks": len(weeks),
        "firstWeek": weeks[0],
        "timegm": calendar.timegm(now.timetuple()),
        "isoWeek": list(today.isocalendar())[:2],
        "dayOfYear": now.timetuple().tm_yday,
        "stamp": now.strftime("%Y%m%dT%H%M%S%z"),
    }
