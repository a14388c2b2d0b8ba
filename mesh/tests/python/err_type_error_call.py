# event: null
def f(a, b):
    return a + b

def handler(event, context):
    return f(1)
