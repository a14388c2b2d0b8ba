# event: {"readings": {"t1": 20}}
def handler(event, context):
    return event["readings"]["t2"]
