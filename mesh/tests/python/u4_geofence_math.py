# event: {"fence": {"center": [52.5200, 13.4050], "radius_m": 1500, "polygon": [[52.51, 13.39], [52.53, 13.39], [52.53, 13.42], [52.51, 13.42]]}, "track": [[52.5205, 13.4049, 0], [52.5301, 13.4102, 60], [52.5450, 13.4400, 120], [52.5100, 13.3950, 180], [52.5199, 13.4051, 240]]}
# arena-kib: 128
import math
from itertools import pairwise
from typing import List, Sequence, Tuple

EARTH_RADIUS_M = 6371008.8


def haversine(a: Sequence[float], b: Sequence[float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    dlat, dlon = lat2 - lat1, lon2 - lon1
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def bearing(a: Sequence[float], b: Sequence[float]) -> float:
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    dlon = math.radians(b[1] - a[1])
    x = math.sin(dlon) * math.cos(lat2)
    y = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def inside_polygon(point: Sequence[float], polygon: List[List[float]]) -> bool:
    x, y = point[1], point[0]
    inside = False
    for (lat1, lon1), (lat2, lon2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (lat1 > y) != (lat2 > y):
            cross = (lon2 - lon1) * (y - lat1) / (lat2 - lat1) + lon1
            if x < cross:
                inside = not inside
    return inside


def compass(deg: float) -> str:
    points = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]
    return points[round(deg / 45) % 8]


def handler(event, context):
    fence = event["fence"]
    center = fence["center"]
    rows = []
    for lat, lon, t in event["track"]:
        d = haversine(center, (lat, lon))
        rows.append({"t": t, "dist_m": round(d, 1), "inCircle": d <= fence["radius_m"],
                     "inPolygon": inside_polygon((lat, lon), fence["polygon"])})
    legs: List[Tuple[float, float]] = []
    for (la1, lo1, t1), (la2, lo2, t2) in pairwise(event["track"]):
        dist = haversine((la1, lo1), (la2, lo2))
        legs.append((dist, dist / (t2 - t1)))
    transitions = [f"{'enter' if b['inCircle'] else 'exit'}@{b['t']}" for a, b in pairwise(rows) if a["inCircle"] != b["inCircle"]]
    total = math.fsum(d for d, _ in legs)
    b = bearing(center, event["track"][2][:2])
    return {
        "rows": rows,
        "transitions": transitions,
        "total_km": round(total / 1000, 3),
        "max_speed_kmh": round(max(s for _, s in legs) * 3.6, 2),
        "bearing": [round(b, 2), compass(b)],
        "misc": [math.isclose(haversine(center, center), 0.0, abs_tol=1e-9), math.hypot(3, 4, 12), math.dist((0, 0), (6, 8)),
                 math.prod([1.5, 2, 4]), math.comb(10, 3), math.copysign(2.0, -0.0), math.floor(-2.5), math.ceil(-2.5),
                 math.trunc(-2.7), round(math.log(1000, 10), 12), math.log2(1024), round(math.exp(1), 12), math.gcd(84, 36),
                 math.isqrt(99), round(math.tau, 6), math.inf > 1e308, math.isnan(float("nan")), math.fmod(-7, 3), -7 % 3],
    }
