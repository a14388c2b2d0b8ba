# event: null
class S1:
    __slots__ = ("a",)

class S2:
    __slots__ = ()

class Plain:
    pass

class Both(S1, S2):
    __slots__ = ("b",)

class Mixed(S1, Plain):
    __slots__ = ("c",)

class Single(S1):
    __slots__ = ("d",)

def attempt(obj, name):
    try:
        setattr(obj, name, 1)
        return "ok"
    except AttributeError as e:
        return type(e).__name__

def handler(event, context):
    return [attempt(Both(), "a"), attempt(Both(), "b"), attempt(Both(), "z"),
            attempt(Mixed(), "c"), attempt(Mixed(), "z"),
            attempt(Single(), "a"), attempt(Single(), "z")]
