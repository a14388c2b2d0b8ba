# event: null
class Reading:
    def __init__(self, v):
        self.v = v

def handler(event, context):
    return [Reading(1)]
