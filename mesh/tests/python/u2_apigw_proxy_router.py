# event: {"resource": "/items/{id}", "path": "/items/42", "httpMethod": "GET", "headers": {"Content-Type": "application/json", "X-Request-Id": "abc-123"}, "queryStringParameters": {"verbose": "true", "limit": "5"}, "pathParameters": {"id": "42"}, "body": null, "isBase64Encoded": false}
# arena-kib: 256
import json
import logging
from http import HTTPStatus

logger = logging.getLogger()
logger.setLevel(logging.INFO)


class NotFound(Exception):
    pass


ITEMS = {"42": {"name": "widget", "price": 9.5}, "7": {"name": "gadget", "price": 3.25}}


def respond(status, body, headers=None):
    base = {"Content-Type": "application/json"}
    base.update(headers or {})
    return {"statusCode": int(status), "headers": base, "body": json.dumps(body, sort_keys=True)}


def get_item(event):
    item_id = event["pathParameters"]["id"]
    if item_id not in ITEMS:
        raise NotFound(f"item {item_id} not found")
    qs = event.get("queryStringParameters") or {}
    verbose = qs.get("verbose", "false").lower() in ("1", "true", "yes")
    item = dict(ITEMS[item_id], id=item_id)
    if verbose:
        item["links"] = {"self": event["path"]}
    return item


def lambda_handler(event, context):
    logger.info("request %s", event["headers"].get("X-Request-Id"))
    try:
        if event["httpMethod"] != "GET":
            return respond(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "method"})
        return respond(HTTPStatus.OK, get_item(event), {"X-Request-Id": event["headers"]["X-Request-Id"]})
    except NotFound as e:
        return respond(404, {"error": str(e)})
