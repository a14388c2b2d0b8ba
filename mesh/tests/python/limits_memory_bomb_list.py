# event: null
# expect: MemoryError
def handler(event, context):
    x = [0]
    while True:
        x = x + x
