# event: {"values": [4, 8, 15, 16, 23, 42]}
import service

def handler(event, context):
    return service.summarize(event["values"])
