# event: {"inputs": ["ok", "bad_unit", "bad_range", "crash", "key"]}
class SensorError(Exception):
    pass

class UnitError(SensorError):
    pass

class RangeError(SensorError):
    pass

def process(kind):
    if kind == "bad_unit":
        raise UnitError("unit F not supported")
    if kind == "bad_range":
        raise RangeError("too hot")
    if kind == "crash":
        raise RuntimeError("driver crashed")
    if kind == "key":
        return {}["missing"]
    return "processed"

def handler(event, context):
    log = []
    for inp in event["inputs"]:
        try:
            log.append(process(inp))
        except UnitError as e:
            log.append("unit:" + str(e))
        except SensorError as e:
            log.append("sensor:" + type(e).__name__ + ":" + str(e))
        except (RuntimeError, KeyError) as e:
            log.append("other:" + type(e).__name__ + ":" + str(e))
    return log
