# event: {"fields": ["123", "12a", "", "007", "-4", "x", "3.0"]}
def handler(event, context):
    digits = [f for f in event["fields"] if f.isdigit()]
    alpha = [f for f in event["fields"] if f.isalpha()]
    return {"digits": digits, "alpha": alpha, "as_ints": [int(d) for d in digits]}
