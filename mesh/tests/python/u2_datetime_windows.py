# event: {"events": ["2024-03-10T01:59:30+00:00", "2024-03-10T02:14:59+00:00", "2024-03-10T02:15:00+00:00", "2024-12-31T23:59:59+00:00"], "window_minutes": 15}
# arena-kib: 256
from datetime import datetime, timedelta, timezone, date, time


def bucket(ts: datetime, minutes: int) -> datetime:
    return ts.replace(minute=ts.minute - ts.minute % minutes, second=0, microsecond=0)


def handler(event, context):
    w = event["window_minutes"]
    parsed = [datetime.fromisoformat(e) for e in event["events"]]
    buckets = {}
    for ts in parsed:
        buckets.setdefault(bucket(ts, w).isoformat(), []).append(ts.second)
    last = parsed[-1]
    nxt = last + timedelta(seconds=1)
    d = date(2024, 2, 28)
    est = timezone(timedelta(hours=-5), "EST")
    return {
        "buckets": buckets,
        "next": nxt.isoformat(),
        "year_day": nxt.timetuple().tm_yday,
        "iso": list(last.isocalendar()),
        "weekday": [last.weekday(), last.isoweekday()],
        "leap": (d + timedelta(days=1)).isoformat(),
        "delta": str(parsed[2] - parsed[0]),
        "delta_neg": str(parsed[0] - parsed[2]),
        "delta_days": str(timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
        "total": (parsed[-1] - parsed[0]).total_seconds(),
        "est": last.astimezone(est).isoformat(),
        "tzname": last.astimezone(est).tzname(),
        "ts": parsed[0].timestamp(),
        "from_ts": datetime.fromtimestamp(1700000000, tz=timezone.utc).isoformat(),
        "combine": datetime.combine(d, time(12, 30)).isoformat(),
        "strf": last.strftime("%d/%m/%y %j %U %a %B"),
        "cmp": parsed[0] < parsed[1],
        "min": min(parsed).minute,
        "naive": datetime(2024, 1, 1, 12).isoformat(timespec="minutes"),
        "date_str": str(d),
        "dt_str": str(datetime(2024, 1, 2, 3, 4, 5, 600)),
        "replace_tz": datetime(2024, 1, 1, tzinfo=timezone.utc).isoformat(),
    }
