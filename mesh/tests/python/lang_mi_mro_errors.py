# event: null
class A:
    pass


class B(A):
    pass


class X:
    pass


class Y:
    pass


class P(X, Y):
    pass


class Q(Y, X):
    pass


def attempt(make):
    try:
        cls = make()
    except TypeError as e:
        return [type(e).__name__, str(e)]
    return ["ok", [c.__name__ for c in cls.__mro__]]


def order_conflict():
    class Bad(A, B):
        pass
    return Bad


def cross_conflict():
    class Bad(P, Q):
        pass
    return Bad


def duplicate():
    class Bad(X, X):
        pass
    return Bad


def duplicate_far():
    class Bad(X, Y, A, Y):
        pass
    return Bad


def layout():
    class Bad(dict, list):
        pass
    return Bad


def exc_and_dict():
    class Bad(Exception, dict):
        pass
    return Bad


def fine():
    class Good(B, A):
        pass
    return Good


def body_runs_first():
    ran = []

    def make():
        class Bad(A, B):
            ran.append("body")
        return Bad

    r = attempt(make)
    return [r[0], ran]


def handler(event, context):
    return {
        "order": attempt(order_conflict),
        "cross": attempt(cross_conflict),
        "duplicate": attempt(duplicate),
        "duplicate_far": attempt(duplicate_far),
        "layout": attempt(layout),
        "exc_and_dict": attempt(exc_and_dict),
        "fine": attempt(fine),
        "body_first": body_runs_first(),
    }
