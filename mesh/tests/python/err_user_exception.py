# event: {"device": "pump-3"}
class DeviceOffline(Exception):
    pass

def handler(event, context):
    raise DeviceOffline("device %s is offline" % event["device"])
