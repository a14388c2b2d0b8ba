# event: {"payload": "{\"reading\": 12}"}
import decoder

def handler(event, context):
    record = decoder.decode(event["payload"])
    return record["temperature"]
