# event: {"n": 1500000}
class SensorError(Exception):
    pass

def check(i):
    if i % 3 == 0:
        raise SensorError("bad %d" % i)
    if i % 7 == 0:
        raise ValueError("odd")
    return i

def handler(event, context):
    n = event["n"]
    ok = 0
    sensor = 0
    value = 0
    for i in range(n):
        try:
            ok += check(i)
        except SensorError:
            sensor += 1
        except ValueError:
            value += 1
        finally:
            ok += 1
    return {"ok": ok, "sensor": sensor, "value": value}
