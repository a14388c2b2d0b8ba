# event: {"offset": -0.5, "gain": 1.02, "raw": [10.0, 20.0, 30.0, 0.0]}
class Calibration:
    def __init__(self, offset, gain):
        self.offset = offset
        self.gain = gain

    def apply(self, value):
        return round((value + self.offset) * self.gain, 3)

def handler(event, context):
    cal = Calibration(event["offset"], event["gain"])
    return {"calibrated": [cal.apply(v) for v in event["raw"]]}
