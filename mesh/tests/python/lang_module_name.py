# event: null
MODULE_NAME = __name__

def handler(event, context):
    return {"module": MODULE_NAME, "inside": __name__, "not_main": __name__ != "__main__"}
