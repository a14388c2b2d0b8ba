# event: {"stepMinutes": 15, "points": [{"t": "2024-06-01T12:51:01+02:00", "v": 23.8}, {"t": "2024-06-01T12:05:46+02:00", "v": 20.77}, {"t": "2024-06-01T10:34:17Z", "v": 23.46}, {"t": "2024-06-01T12:03:15+02:00", "v": 20.12}, {"t": "2024-06-01T12:37:13+02:00", "v": 24.6}, {"t": "2024-06-01T10:20:33Z", "v": 21.76}, {"t": "2024-06-01T12:19:48+02:00", "v": 18.41}, {"t": "2024-06-01T10:36:52Z", "v": 18.74}, {"t": "2024-06-01T12:53:51+02:00", "v": 19.82}, {"t": "2024-06-01T12:07:09+02:00", "v": 18.63}, {"t": "2024-06-01T10:10:01Z", "v": 20.81}, {"t": "2024-06-01T10:12:58Z", "v": 20.03}]}
# arena-kib: 256
from collections import deque
from datetime import datetime, timedelta, timezone
from typing import Dict, Iterator, List, Tuple

Point = Tuple[datetime, float]


def parse(points) -> List[Point]:
    out = []
    for p in points:
        ts = datetime.fromisoformat(p["t"].replace("Z", "+00:00"))
        out.append((ts.astimezone(timezone.utc), float(p["v"])))
    out.sort()
    return out


def floor_time(ts: datetime, step: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    buckets = (ts - epoch) // step
    return epoch + buckets * step


def resample(points: List[Point], step: timedelta) -> Dict[str, dict]:
    buckets: Dict[datetime, List[float]] = {}
    for ts, v in points:
        buckets.setdefault(floor_time(ts, step), []).append(v)
    if not buckets:
        return {}
    out = {}
    t, end = min(buckets), max(buckets)
    last = None
    while t <= end:
        values = buckets.get(t)
        if values:
            last = sum(values) / len(values)
            out[t.strftime("%H:%M")] = {"mean": round(last, 3), "n": len(values), "filled": False}
        else:
            out[t.strftime("%H:%M")] = {"mean": last, "n": 0, "filled": True}
        t += step
    return out


def sliding(points: List[Point], width: timedelta) -> Iterator[Tuple[str, float]]:
    window: deque = deque()
    total = 0.0
    for ts, v in points:
        window.append((ts, v))
        total += v
        while window and ts - window[0][0] >= width:
            total -= window.popleft()[1]
        yield ts.isoformat(timespec="seconds"), round(total / len(window), 3)


def tumbling(points: List[Point], size: int) -> List[List[float]]:
    return [[v for _, v in points[i:i + size]] for i in range(0, len(points), size)]


def handler(event, context):
    points = parse(event["points"])
    step = timedelta(minutes=event["stepMinutes"])
    span = points[-1][0] - points[0][0]
    return {
        "resampled": resample(points, step),
        "sliding": list(sliding(points, timedelta(minutes=10))),
        "tumbling": tumbling(points, 3),
        "span": str(span),
        "spanSeconds": span.total_seconds(),
        "stepRepr": repr(step),
        "halfStep": str(step / 2),
        "ratio": span / step,
        "days": [timedelta(days=1, hours=25).days, timedelta(seconds=-1).days],
    }
