# event: {"events": [{"ts": "2026-11-27T10:15:00+00:00", "v": 1}, {"ts": "2026-11-27T09:45:30+00:00", "v": 2}, {"ts": "2026-11-28T00:00:00+00:00", "v": 3}], "epoch": 1700000000}
# arena-kib: 128
from datetime import datetime, timedelta, timezone, date


def handler(event, context):
    times = [datetime.fromisoformat(e["ts"]) for e in event["events"]]
    times.sort()
    span = times[-1] - times[0]
    base = datetime.fromtimestamp(event["epoch"], tz=timezone.utc)
    d = date(2024, 2, 28)
    naive = datetime(2026, 1, 31, 23, 59, 59)
    return {
        "sorted": [t.isoformat() for t in times],
        "span_s": span.total_seconds(),
        "span_str": str(span),
        "days": span.days,
        "base": base.isoformat(),
        "base_fmt": base.strftime("%Y/%m/%d %H:%M:%S %a %b %j"),
        "plus": (base + timedelta(days=1, hours=2, minutes=3)).isoformat(),
        "leap": (d + timedelta(days=1)).isoformat(),
        "leap2": str(d + timedelta(days=2)),
        "weekday": [d.weekday(), d.isoweekday(), list(d.isocalendar())],
        "naive_next": str(naive + timedelta(seconds=1)),
        "parse": datetime.strptime("27/11/2026 08:05", "%d/%m/%Y %H:%M").isoformat(),
        "ts": datetime(2026, 11, 27, tzinfo=timezone.utc).timestamp(),
        "hour_bucket": times[0].replace(minute=0, second=0).isoformat(),
        "td_repr": repr(timedelta(hours=-1)),
        "td_str": str(timedelta(days=-1, seconds=5)),
        "cmp": times[0] < times[1],
        "date_repr": repr(d),
        "offset": datetime(2026, 6, 1, 12, tzinfo=timezone(timedelta(hours=2))).astimezone(timezone.utc).isoformat(),
    }
