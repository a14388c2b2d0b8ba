# event: null
def outer():
    a = 1
    log = []

    def middle():
        b = 10

        def inner():
            nonlocal a, b
            a += 1
            b += 1
            log.append([a, b])
        inner()
        inner()
        return b

    mb = middle()
    return [a, mb, log]

def handler(event, context):
    return outer()
