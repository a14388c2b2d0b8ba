# event: {}
def handler(event, context):
    try:
        raise ValueError("first")
    finally:
        raise TypeError("from finally")
