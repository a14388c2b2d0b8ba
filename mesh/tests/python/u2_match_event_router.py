# event: {"events": [{"source": "aws:sqs", "body": "{\"op\": \"add\", \"a\": 2, \"b\": 3}"}, {"httpMethod": "GET", "path": "/items/7"}, {"httpMethod": "DELETE", "path": "/items/7"}, {"detail-type": "Scheduled Event", "detail": {}}, {"Records": [{"s3": {"object": {"key": "a.csv"}}}, {"s3": {"object": {"key": "b.json"}}}]}, {"reading": [21.5, "C"]}, {"reading": [70, "F", "extra"]}, ["ping"], 42, null]}
# arena-kib: 256
import json
from dataclasses import dataclass


@dataclass
class Reading:
    value: float
    unit: str = "C"


def route(event):
    match event:
        case {"source": "aws:sqs", "body": str(body)}:
            match json.loads(body):
                case {"op": "add", "a": int(a), "b": int(b)}:
                    return f"sum={a + b}"
                case {"op": op}:
                    return f"unknown op {op}"
        case {"httpMethod": "GET" | "HEAD" as method, "path": path}:
            _, kind, ident = path.split("/")
            return f"{method} {kind} #{int(ident)}"
        case {"httpMethod": method}:
            return f"405 {method}"
        case {"detail-type": "Scheduled Event", **rest}:
            return f"cron {sorted(rest)}"
        case {"Records": [{"s3": {"object": {"key": key}}}, *others]}:
            return f"s3 first={key} more={len(others)}"
        case {"reading": [float(v) | int(v), "C" | "F" as unit]}:
            r = Reading(v, unit)
            match r:
                case Reading(value=v2, unit="F"):
                    return f"F {round((v2 - 32) * 5 / 9, 2)}"
                case Reading(v2, "C") if v2 > 20:
                    return f"warm {v2}"
                case _:
                    return "cool"
        case {"reading": [_, _, *extra]}:
            return f"bad reading {extra}"
        case [("ping" | "pong") as word]:
            return word.upper()
        case int() | float() as n if n > 10:
            return f"big number {n}"
        case None:
            return "nothing"
        case _:
            return "unmatched"


def handler(event, context):
    return [route(e) for e in event["events"]]
