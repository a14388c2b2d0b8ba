# event: {"readings": [{"ts": 1700000000, "t": 21.5}, {"ts": 1700003600.25, "t": 22.0}, {"ts": 1700090000, "t": 19.5}], "since": "2023-11-14T00:00:00Z", "local": "+05:30"}
# arena-kib: 64
# The bundled datetime: timestamps to aware datetimes, ISO 8601 in and out,
# strftime/strptime, arithmetic with timedelta, bucketing by day and hour.
from datetime import date, datetime, timedelta, timezone


def handler(event, context):
    since = datetime.fromisoformat(event["since"].replace("Z", "+00:00"))
    sign = -1 if event["local"].startswith("-") else 1
    hh, mm = event["local"][1:].split(":")
    local = timezone(timedelta(hours=int(hh), minutes=int(mm)) * sign)
    by_day = {}
    rows = []
    for r in event["readings"]:
        at = datetime.fromtimestamp(r["ts"], tz=timezone.utc)
        if at < since:
            continue
        day = at.astimezone(local).date().isoformat()
        by_day.setdefault(day, []).append(r["t"])
        rows.append({
            "iso": at.isoformat(),
            "local": str(at.astimezone(local)),
            "hour": at.replace(minute=0, second=0, microsecond=0).strftime("%Y-%m-%d %H:00"),
            "age": str(datetime(2023, 11, 16, tzinfo=timezone.utc) - at),
            "weekday": at.strftime("%A %j %U"),
        })
    first = datetime.strptime("14/11/2023 22:13", "%d/%m/%Y %H:%M")
    window = timedelta(hours=36, minutes=5)
    errors = []
    for bad in [lambda: date(2023, 2, 29), lambda: datetime.strptime("2023-11-14", "%d/%m/%Y"),
                lambda: datetime(2023, 1, 1) - datetime(2023, 1, 1, tzinfo=timezone.utc)]:
        try:
            bad()
        except (ValueError, TypeError) as e:
            errors.append([type(e).__name__, str(e)])
    return {
        "rows": rows,
        "by_day": by_day,
        "first": [repr(first), first.isoformat(sep=" "), (first + window).ctime(), first.timestamp()],
        "window": [str(window), window.total_seconds(), repr(window * 2), str(timedelta(0) - window)],
        "calendar": [list(date(2023, 1, 1).isocalendar()), date(2024, 2, 28).toordinal(),
                     str(date(2024, 2, 28) + timedelta(days=2)), (date(2024, 3, 1) - date(2024, 2, 1)).days],
        "zones": [str(local), repr(timezone.utc), since.tzname(), since.utcoffset().total_seconds()],
        "errors": errors,
    }
