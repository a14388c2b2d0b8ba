# event: {"n": 33}
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def handler(event, context):
    return {"fib": fib(event["n"])}
