# event: null
def make_counter(start):
    count = start
    def inc(step=1):
        nonlocal count
        count += step
        return count
    def get():
        return count
    return inc, get

def handler(event, context):
    inc, get = make_counter(10)
    inc()
    inc(5)
    inc2, get2 = make_counter(0)
    inc2()
    return [get(), get2(), inc(), get()]
