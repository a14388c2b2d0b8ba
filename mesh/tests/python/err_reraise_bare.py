# event: {}
def handler(event, context):
    log = []
    try:
        [][1]
    except IndexError:
        log.append("seen")
        raise
    return log
