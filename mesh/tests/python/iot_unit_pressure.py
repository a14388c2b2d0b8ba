# event: {"pascals": [101325, 100000, 95000, 110000]}
def handler(event, context):
    out = []
    for pa in event["pascals"]:
        out.append({
            "hpa": pa / 100,
            "bar": round(pa / 100000, 5),
            "psi": round(pa * 0.000145038, 3),
            "atm": round(pa / 101325, 4),
        })
    return out
