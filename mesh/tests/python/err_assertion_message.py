# event: {"temp": -300}
def handler(event, context):
    t = event["temp"]
    assert t >= -273.15, "temperature below absolute zero: %s" % t
    return t
