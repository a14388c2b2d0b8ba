# event: {"port": "eighty"}
class ConfigError(Exception):
    pass

def handler(event, context):
    try:
        port = int(event["port"])
    except ValueError as e:
        raise ConfigError("bad port: " + event["port"]) from e
    return port
