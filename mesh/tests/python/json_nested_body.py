# event: {"body": "{\"readings\": [{\"t\": 20.5}, {\"t\": 21.5}], \"device\": \"d1\"}", "isBase64Encoded": false}
import json

def handler(event, context):
    body = json.loads(event["body"])
    temps = [r["t"] for r in body["readings"]]
    response = {"device": body["device"], "avg": sum(temps) / len(temps)}
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(response)}
