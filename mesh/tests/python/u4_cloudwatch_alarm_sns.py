# event: {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "Sns": {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:eu-west-1:123:alarms", "Subject": "OK: pump", "Message": "{\"AlarmName\": \"pump-7-temp\", \"AlarmDescription\": null, \"AWSAccountId\": \"123456789012\", \"NewStateValue\": \"OK\", \"NewStateReason\": \"Threshold Crossed: 1 out of the last 3 datapoints [91.5 (01/06/24 10:00:00)] was greater than the threshold (80.0).\", \"StateChangeTime\": \"2024-06-01T10:05:00.123+0000\", \"Region\": \"EU (Ireland)\", \"OldStateValue\": \"ALARM\", \"Trigger\": {\"MetricName\": \"Temperature\", \"Namespace\": \"IoT/Fleet\", \"StatisticType\": \"Statistic\", \"Statistic\": \"AVERAGE\", \"Unit\": null, \"Dimensions\": [{\"value\": \"pump-7\", \"name\": \"Device\"}, {\"value\": \"north\", \"name\": \"Site\"}], \"Period\": 300, \"EvaluationPeriods\": 3, \"ComparisonOperator\": \"GreaterThanThreshold\", \"Threshold\": 80.0, \"TreatMissingData\": \"\", \"EvaluateLowSampleCountPercentile\": \"\"}}", "Timestamp": "2024-06-01T10:00:05.000Z"}}, {"EventSource": "aws:sns", "EventVersion": "1.0", "Sns": {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:eu-west-1:123:alarms", "Subject": null, "Message": "{\"AlarmName\": \"fleet-battery\", \"AlarmDescription\": null, \"AWSAccountId\": \"123456789012\", \"NewStateValue\": \"ALARM\", \"NewStateReason\": \"Threshold Crossed: 1 out of the last 5 datapoints [91.5 (01/06/24 10:00:00)] was greater than the threshold (0.5).\", \"StateChangeTime\": \"2024-06-01T09:59:59.999+0200\", \"Region\": \"EU (Ireland)\", \"OldStateValue\": \"OK\", \"Trigger\": {\"MetricName\": \"BatteryLow\", \"Namespace\": \"IoT/Fleet\", \"StatisticType\": \"Statistic\", \"Statistic\": \"AVERAGE\", \"Unit\": null, \"Dimensions\": [], \"Period\": 60, \"EvaluationPeriods\": 5, \"ComparisonOperator\": \"GreaterThanThreshold\", \"Threshold\": 0.5, \"TreatMissingData\": \"\", \"EvaluateLowSampleCountPercentile\": \"\"}}", "Timestamp": "2024-06-01T10:00:05.000Z"}}, {"EventSource": "aws:sns", "EventVersion": "1.0", "Sns": {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:eu-west-1:123:alarms", "Subject": "", "Message": "{\"AlarmName\": \"gw-offline\", \"AlarmDescription\": null, \"AWSAccountId\": \"123456789012\", \"NewStateValue\": \"INSUFFICIENT_DATA\", \"NewStateReason\": \"Threshold Crossed: 1 out of the last 1 datapoints [91.5 (01/06/24 10:00:00)] was greater than the threshold (1.0).\", \"StateChangeTime\": \"2024-06-01T10:00:00.000-0130\", \"Region\": \"EU (Ireland)\", \"OldStateValue\": \"OK\", \"Trigger\": {\"MetricName\": \"Heartbeat\", \"Namespace\": \"IoT/Fleet\", \"StatisticType\": \"Statistic\", \"Statistic\": \"AVERAGE\", \"Unit\": null, \"Dimensions\": [{\"value\": \"gw-1\", \"name\": \"Gateway\"}], \"Period\": 3600, \"EvaluationPeriods\": 1, \"ComparisonOperator\": \"GreaterThanThreshold\", \"Threshold\": 1.0, \"TreatMissingData\": \"\", \"EvaluateLowSampleCountPercentile\": \"\"}}", "Timestamp": "2024-06-01T10:00:05.000Z"}}]}
# arena-kib: 256
import json
from datetime import datetime, timedelta
from typing import Dict, List

SEVERITY = {"ALARM": 3, "INSUFFICIENT_DATA": 2, "OK": 1}
ICONS = {"ALARM": ":rotating_light:", "OK": ":white_check_mark:"}


def parse_alarm(record: dict) -> dict:
    sns = record["Sns"]
    message = json.loads(sns["Message"])
    trigger = message["Trigger"]
    dims = {d["name"]: d["value"] for d in trigger.get("Dimensions", [])}
    changed = datetime.strptime(message["StateChangeTime"], "%Y-%m-%dT%H:%M:%S.%f%z")
    return {
        "name": message["AlarmName"],
        "state": message["NewStateValue"],
        "previous": message["OldStateValue"],
        "reason": message["NewStateReason"],
        "metric": f"{trigger['Namespace']}/{trigger['MetricName']}",
        "threshold": f"{trigger['ComparisonOperator']} {trigger['Threshold']:g}",
        "window": str(timedelta(seconds=trigger["Period"] * trigger["EvaluationPeriods"])),
        "dims": dims,
        "changed": changed,
        "subject": sns.get("Subject") or "(none)",
    }


def to_chat(alarm: dict) -> Dict[str, object]:
    icon = ICONS.get(alarm["state"], ":grey_question:")
    dims = ", ".join(f"{k}={v}" for k, v in sorted(alarm["dims"].items()))
    return {
        "text": f"{icon} *{alarm['name']}* is {alarm['state']} (was {alarm['previous']})",
        "fields": [
            {"title": "Metric", "value": alarm["metric"], "short": True},
            {"title": "Threshold", "value": alarm["threshold"], "short": True},
            {"title": "Dimensions", "value": dims or "-", "short": False},
        ],
        "ts": int(alarm["changed"].timestamp()),
    }


def handler(event, context):
    alarms: List[dict] = [parse_alarm(r) for r in event["Records"]]
    alarms.sort(key=lambda a: (-SEVERITY.get(a["state"], 0), a["changed"]))
    worst = alarms[0]
    return {
        "messages": [to_chat(a) for a in alarms],
        "worst": worst["name"],
        "windows": [a["window"] for a in alarms],
        "reasons": [a["reason"][:40] for a in alarms],
        "local": [a["changed"].isoformat() for a in alarms],
        "utcHours": [a["changed"].utctimetuple().tm_hour for a in alarms],
        "subjects": [a["subject"] for a in alarms],
    }
