# event: {"topic": "fleet/eu-west/site-12/dev/thermo-0042/telemetry", "clientid": "thermo-0042", "timestamp": 1717171717000, "payload": {"ts": "2024-05-31T16:08:37.5+02:00", "fw": "v2.13.4-rc1", "m": [{"k": "t", "v": 22.4}, {"k": "h", "v": 51}, {"k": "co2", "v": 1204}, {"k": "t", "v": 22.6}], "alarms": "0x0005"}}
# arena-kib: 128
import re
from datetime import datetime, timezone

TOPIC = re.compile(
    r"""
    ^fleet/
    (?P<region>[a-z]+-[a-z]+)/          # e.g. eu-west
    site-(?P<site>\d+)/
    dev/
    (?P<kind>[a-z]+)-(?P<serial>\d{4})/
    (?P<channel>telemetry|status|alert)$
    """,
    re.VERBOSE,
)
FIRMWARE = re.compile(r"v(?P<major>\d+)\.(?P<minor>\d+)\.(?P<patch>\d+)(?:-(?P<pre>[0-9A-Za-z.]+))?")
ALARM_BITS = {0: "sensor_fault", 1: "low_battery", 2: "tamper", 3: "overheat"}
UNITS = {"t": ("temperature", "C"), "h": ("humidity", "%"), "co2": ("co2", "ppm")}


def parse_topic(topic):
    match = TOPIC.match(topic)
    if match is None:
        raise ValueError(f"unexpected topic {topic!r}")
    parts = match.groupdict()
    parts["site"] = int(parts["site"])
    parts["serial"] = int(parts["serial"])
    return parts


def parse_firmware(text):
    m = FIRMWARE.fullmatch(text)
    if not m:
        return None
    version = tuple(int(m.group(g)) for g in ("major", "minor", "patch"))
    return {"version": list(version), "prerelease": m.group("pre"), "outdated": version < (2, 14, 0)}


def decode_alarms(hex_mask):
    mask = int(hex_mask, 16)
    return [name for bit, name in sorted(ALARM_BITS.items()) if mask & (1 << bit)]


def handler(event, context):
    topic = parse_topic(event["topic"])
    payload = event["payload"]
    measured = {}
    for item in payload["m"]:
        name, unit = UNITS.get(item["k"], (item["k"], ""))
        measured.setdefault(name, {"unit": unit, "values": []})["values"].append(item["v"])
    for entry in measured.values():
        vals = entry.pop("values")
        entry["mean"] = round(sum(vals) / len(vals), 2)
        entry["n"] = len(vals)
    ts = datetime.fromisoformat(payload["ts"])
    received = datetime.fromtimestamp(event["timestamp"] / 1000, tz=timezone.utc)
    bad = None
    try:
        parse_topic("fleet/EU/site-x/dev/a/telemetry")
    except ValueError as exc:
        bad = str(exc)
    return {
        "topic": topic,
        "firmware": parse_firmware(payload["fw"]),
        "alarms": decode_alarms(payload["alarms"]),
        "measured": measured,
        "deviceTimeUtc": ts.astimezone(timezone.utc).isoformat(),
        "skewSeconds": (received - ts).total_seconds(),
        "badTopic": bad,
        "split": re.split(r"[/-]", event["topic"], maxsplit=3),
        "masked": re.sub(r"(?<=-)\d{2}(?=\d{2}\b)", "**", event["clientid"]),
    }
