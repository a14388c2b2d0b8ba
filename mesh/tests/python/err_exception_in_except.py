# event: {}
def handler(event, context):
    try:
        return {}["a"]
    except KeyError:
        return [][0]
