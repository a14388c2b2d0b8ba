# event: {"addresses": ["ops@example.com", "bad.example.com", "a@b", "@x.org", "x@y.z", "two@@ats.io", "sp ace@x.io"]}
def valid(addr):
    if addr.count("@") != 1 or " " in addr:
        return False
    local, domain = addr.split("@")
    if not local or "." not in domain:
        return False
    return all(part for part in domain.split("."))

def handler(event, context):
    return {a: valid(a) for a in event["addresses"]}
