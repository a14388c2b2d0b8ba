# event: {}


class Sensor:
    """A sensor of the fleet."""

    def read(self):
        """Read the current value."""
        return 1


def handler(event, context):
    """Lambda entry point."""
    return {"cls": Sensor.__doc__, "method": Sensor.read.__doc__, "fn": handler.__doc__, "help": (handler.__doc__ or "").split()[0]}
