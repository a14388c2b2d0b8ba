# event: null
class Sensor:
    kind = "generic"

    def __init__(self, name):
        self.name = name

    def describe(self):
        return "%s(%s)" % (self.kind, self.name)

    def read(self):
        return 0

class TempSensor(Sensor):
    kind = "temp"

    def read(self):
        return 21

class FancyTemp(TempSensor):
    def describe(self):
        return "fancy " + super().describe()

def handler(event, context):
    sensors = [Sensor("a"), TempSensor("b"), FancyTemp("c")]
    return [[s.describe(), s.read(), isinstance(s, TempSensor), type(s).__name__] for s in sensors]
