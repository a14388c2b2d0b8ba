# Light function: is the soil too dry? A few arithmetic operations on a
# handful of readings; small input, small output.
DRY_BELOW = 18.0


def handler(event, context):
    readings = event["readings"]
    avg = sum(readings) / len(readings)
    return {"node": event["node"], "avg": round(avg, 2), "dry": avg < DRY_BELOW}
