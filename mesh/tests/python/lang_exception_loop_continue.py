# event: {"values": [1, 0, "a", 4, null, 2]}
def handler(event, context):
    results = []
    errors = {}
    for v in event["values"]:
        try:
            results.append(12 // v)
        except ZeroDivisionError:
            errors["zero"] = errors.get("zero", 0) + 1
            continue
        except TypeError as e:
            errors[type(v).__name__] = str(e)
            continue
        finally:
            results.append("|")
        results.append("after")
    return {"results": results, "errors": errors}
