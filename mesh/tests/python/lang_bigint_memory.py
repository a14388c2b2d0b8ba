# event: null
# expect: MemoryError
# A big int's size counts against the arena: a 2**36-bit result cannot be
# built (CPython's harness caps its address space too).


def handler(event, context):
    return (1 << 2 ** 36) + 1
