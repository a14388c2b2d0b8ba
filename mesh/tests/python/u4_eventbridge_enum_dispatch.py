# event: {"version": "0", "id": "e-1", "detail-type": "Device State Change", "source": "iot.fleet", "account": "123456789012", "time": "2024-02-29T23:59:30Z", "region": "eu-central-1", "resources": ["arn:aws:iot:eu-central-1:123:thing/pump-7"], "detail": {"device": "pump-7", "state": "DEGRADED", "previous": "ONLINE", "severity": 2, "metrics": {"rpm": 1180, "temp_c": 81.5}}}
# arena-kib: 128
from datetime import datetime, timedelta, timezone
from enum import Enum, IntEnum, auto


class DeviceState(Enum):
    ONLINE = "ONLINE"
    DEGRADED = "DEGRADED"
    OFFLINE = "OFFLINE"

    @property
    def healthy(self) -> bool:
        return self is DeviceState.ONLINE


class Severity(IntEnum):
    INFO = 0
    WARNING = 1
    MAJOR = 2
    CRITICAL = 3


class Action(Enum):
    NOTIFY = auto()
    PAGE = auto()
    IGNORE = auto()


def decide(state: DeviceState, severity: Severity) -> Action:
    if state.healthy:
        return Action.IGNORE
    if severity >= Severity.MAJOR:
        return Action.PAGE
    return Action.NOTIFY


def on_state_change(event):
    detail = event["detail"]
    state = DeviceState(detail["state"])
    previous = DeviceState[detail["previous"]]
    severity = Severity(detail["severity"])
    at = datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
    action = decide(state, severity)
    return {
        "device": detail["device"],
        "transition": f"{previous.name}->{state.name}",
        "severity": severity.name.title(),
        "severityValue": int(severity),
        "action": action.name,
        "actionValue": action.value,
        "escalateAt": (at + timedelta(minutes=15 * (4 - severity))).isoformat(),
        "day": at.strftime("%A %d %B %Y"),
        "nextDay": (at + timedelta(seconds=30)).date().isoformat(),
        "utc": at.tzinfo == timezone.utc,
        "hottest": max(detail["metrics"].items(), key=lambda kv: kv[1])[0],
    }


DISPATCH = {
    ("iot.fleet", "Device State Change"): on_state_change,
}


def handler(event, context):
    key = (event["source"], event["detail-type"])
    fn = DISPATCH.get(key)
    if fn is None:
        return {"ignored": list(key)}
    result = fn(event)
    result["states"] = [s.value for s in DeviceState]
    result["severities"] = {s.name: s.value for s in Severity}
    result["compare"] = [Severity.MAJOR > 1, Severity(1) == 1, Severity.INFO + 5]
    result["members"] = len(Action), Action(2).name, "PAGE" in Action.__members__
    result["unknown"] = None
    try:
        DeviceState("BROKEN")
    except ValueError as exc:
        result["unknown"] = str(exc)
    return result
