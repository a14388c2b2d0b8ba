# event: {"httpMethod": "POST", "path": "/readings", "queryStringParameters": {"unit": "F"}, "body": "{\"celsius\": [0, 100, -40]}"}
import json

def handler(event, context):
    if event["httpMethod"] != "POST":
        return {"statusCode": 405, "body": json.dumps({"error": "method not allowed"})}
    unit = (event.get("queryStringParameters") or {}).get("unit", "C")
    vals = json.loads(event["body"])["celsius"]
    if unit == "F":
        vals = [v * 9 / 5 + 32 for v in vals]
    return {"statusCode": 200, "body": json.dumps({"unit": unit, "values": vals}, separators=(",", ":"))}
