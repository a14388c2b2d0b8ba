# event: {"paths": ["/var/task/handler.py", "data/2026/11/readings.csv", "noext", "archive.tar.gz"]}
def handler(event, context):
    out = []
    for p in event["paths"]:
        parts = p.rsplit("/", 1)
        name = parts[-1]
        directory = parts[0] if len(parts) == 2 else ""
        base_ext = name.rsplit(".", 1)
        ext = base_ext[1] if len(base_ext) == 2 else ""
        out.append([directory, name, ext])
    return out
