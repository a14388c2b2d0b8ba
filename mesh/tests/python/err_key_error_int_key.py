# event: null
def handler(event, context):
    table = {1: "one", 2: "two"}
    return table[3]
