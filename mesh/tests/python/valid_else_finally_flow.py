# event: {"inputs": ["5", "0", "x"]}
def divide(s, log):
    try:
        n = int(s)
        r = 100 // n
    except ValueError:
        log.append("bad:" + s)
        return None
    except ZeroDivisionError as e:
        log.append("zero:" + str(e))
        return -1
    else:
        log.append("ok:" + str(r))
        return r
    finally:
        log.append("done:" + s)

def handler(event, context):
    log = []
    results = [divide(s, log) for s in event["inputs"]]
    return {"results": results, "log": log}
