# event: {"Records": [{"EventSource": "aws:sns", "Sns": {"Type": "Notification", "MessageId": "95df01b4", "TopicArn": "arn:aws:sns:us-east-1:123456789012:alerts", "Subject": "Temp alarm", "Message": "{\"sensor\": \"s-9\", \"temp\": 81.5, \"limit\": 75}", "Timestamp": "2024-03-01T12:34:56.789Z", "MessageAttributes": {"severity": {"Type": "String", "Value": "critical"}}}}]}
# arena-kib: 256
import json
from datetime import datetime, timezone, timedelta


def parse_ts(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def handler(event, context):
    out = []
    for record in event["Records"]:
        sns = record["Sns"]
        msg = json.loads(sns["Message"])
        ts = parse_ts(sns["Timestamp"])
        over = msg["temp"] - msg["limit"]
        topic = sns["TopicArn"].split(":")[-1]
        region = sns["TopicArn"].split(":")[3]
        out.append({
            "topic": topic,
            "region": region,
            "subject": sns["Subject"].upper(),
            "over": f"{over:+.1f}",
            "at": ts.isoformat(),
            "expires": (ts + timedelta(hours=1, minutes=30)).strftime("%Y-%m-%d %H:%M"),
            "weekday": ts.strftime("%A"),
            "severity": sns["MessageAttributes"]["severity"]["Value"],
            "epoch": int(ts.timestamp()),
        })
    return out
