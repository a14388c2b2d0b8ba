# event: {"steps": 70}
# expect: OverflowError
# nanolambda ints are 64-bit, so 2**63 does not fit and raises OverflowError; CPython returns the big int.
def handler(event, context):
    x = 1
    for i in range(event["steps"]):
        x = x * 2
    return x
