# event: {"raw": "  Temp=21.5C; HUM=40% ;press=1013hPa  "}
def handler(event, context):
    fields = [f.strip().lower().split("=") for f in event["raw"].strip().rstrip(";").split(";")]
    cleaned = {k: v.rstrip("c%hpa").replace(",", ".") for k, v in fields}
    return {"fields": fields, "cleaned": cleaned, "chain": " a-b ".strip().upper().replace("-", "_").zfill(6)}
