# event: {"code": 17}
class DeviceError(Exception):
    def __init__(self, device, code):
        super().__init__(device, code)
        self.device = device
        self.code = code

    def __str__(self):
        return "device %s failed with code %d" % (self.device, self.code)

def handler(event, context):
    try:
        raise DeviceError("pump-2", event["code"])
    except Exception as e:
        return {"msg": str(e), "args": list(e.args), "isinstance": isinstance(e, DeviceError), "name": type(e).__name__}
