# event: {"factor": 3, "samples": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]}
def handler(event, context):
    f = event["factor"]
    s = event["samples"]
    picked = s[::f]
    means = []
    for i in range(0, len(s), f):
        chunk = s[i:i + f]
        means.append(sum(chunk) / len(chunk))
    return {"picked": picked, "means": means}
