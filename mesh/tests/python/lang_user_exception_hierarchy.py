# event: null
class AppError(Exception):
    pass

class NetError(AppError):
    pass

class TimeoutErr(NetError):
    pass

def handler(event, context):
    out = []
    for exc in (TimeoutErr("t"), NetError("n"), AppError("a"), ValueError("v")):
        try:
            raise exc
        except TimeoutErr:
            out.append("timeout")
        except NetError as e:
            out.append("net:" + str(e))
        except AppError as e:
            out.append("app:" + type(e).__name__)
        except Exception as e:
            out.append("other:" + type(e).__name__)
    return {"caught": out, "isinstance": [isinstance(TimeoutErr(), AppError), isinstance(AppError(), NetError), isinstance(KeyError(), Exception)]}
