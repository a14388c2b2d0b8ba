# event: {"form": {"port": "8080", "host": "", "retries": "-1", "timeout": "abc"}}
def check_port(v):
    p = int(v)
    if not 0 < p < 65536:
        raise ValueError("port out of range")
    return p

def check_host(v):
    if not v:
        raise ValueError("host is empty")
    return v

def check_count(v):
    n = int(v)
    if n < 0:
        raise ValueError("negative: %d" % n)
    return n

CHECKS = {"port": check_port, "host": check_host, "retries": check_count, "timeout": check_count}

def handler(event, context):
    ok, errors = {}, {}
    for name, fn in CHECKS.items():
        try:
            ok[name] = fn(event["form"][name])
        except ValueError as e:
            errors[name] = str(e)
    return {"ok": ok, "errors": errors}
