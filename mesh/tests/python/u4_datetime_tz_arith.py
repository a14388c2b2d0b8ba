# event: {"meetings": [{"title": "standup", "start": "2024-03-30T09:00:00+01:00", "minutes": 15}, {"title": "review", "start": "2024-03-31T16:30:00-04:00", "minutes": 90}, {"title": "retro", "start": "2024-03-31T23:45:00+00:00", "minutes": 45}], "now": "2024-03-31T12:00:00+00:00"}
# arena-kib: 128
from datetime import date, datetime, time, timedelta, timezone

CET = timezone(timedelta(hours=1), "CET")
IST = timezone(timedelta(hours=5, minutes=30))


def humanize(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    parts = [f"{v}{u}" for v, u in ((days, "d"), (hours, "h"), (minutes, "m")) if v]
    return sign + (" ".join(parts) or "0m")


def handler(event, context):
    now = datetime.fromisoformat(event["now"])
    rows = []
    for m in event["meetings"]:
        start = datetime.fromisoformat(m["start"])
        end = start + timedelta(minutes=m["minutes"])
        rows.append({
            "title": m["title"],
            "utc": start.astimezone(timezone.utc).isoformat(),
            "cet": start.astimezone(CET).strftime("%a %d %b %H:%M %Z"),
            "ist": end.astimezone(IST).isoformat(timespec="minutes"),
            "offset": start.utcoffset().total_seconds() / 3600,
            "tzname": start.tzname(),
            "startsIn": humanize(start - now),
            "crossesMidnight": start.astimezone(timezone.utc).date() != end.astimezone(timezone.utc).date(),
        })
    rows.sort(key=lambda r: r["utc"])
    d = date(2024, 1, 31)
    naive = datetime(2024, 2, 29, 23, 59, 59, 999999)
    return {
        "rows": rows,
        "order": [r["title"] for r in rows],
        "combine": datetime.combine(d, time(7, 5), tzinfo=CET).isoformat(),
        "plusMonthish": (d + timedelta(days=30)).isoformat(),
        "weekday": [d.weekday(), d.isoweekday(), d.strftime("%j %U %w %y %b %B %p")],
        "naiveNext": (naive + timedelta(microseconds=1)).isoformat(),
        "rounded": naive.replace(microsecond=0, second=0).isoformat(sep=" "),
        "compare": [now < datetime(2025, 1, 1, tzinfo=timezone.utc), now == now.astimezone(IST)],
        "ordinal": [d.toordinal(), date.fromordinal(738000).isoformat()],
        "timestamp": now.timestamp(),
        "fromts": datetime.fromtimestamp(1711886400, tz=IST).isoformat(),
        "min": str(timedelta.min), "res": str(timedelta(microseconds=1500)),
        "mul": str(timedelta(hours=1, minutes=30) * 3), "neg": str(-timedelta(minutes=5)),
        "timeiso": time(23, 5, 7, 120000).isoformat(), "strtime": str(time(6)),
        "reprs": [repr(date(2024, 5, 6)), repr(timezone.utc), str(IST)],
    }
