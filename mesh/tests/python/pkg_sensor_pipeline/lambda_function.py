# event: {"unit": "F", "readings": [20.0, 21.0, 25.0, 24.0, 30.0]}
import units
from filters import moving_average, clamp

def handler(event, context):
    series = [units.convert(r, event["unit"]) for r in event["readings"]]
    smoothed = moving_average(series, 2)
    return {"converted": series, "smoothed": smoothed, "clamped": [clamp(v, 70, 80) for v in series], "module": units.__name__}
