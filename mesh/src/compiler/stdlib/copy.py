"""copy for nanolambda functions: copy() and deepcopy() of the built-in
containers, as CPython 3.11, with a memo so shared and cyclic structures
are copied once, and of class instances: __copy__ / __deepcopy__ when
the class defines them, else a new instance (its __init__ not run) with
the attributes and slots copied, as CPython's __reduce_ex__ protocol
does."""


class Error(Exception):
    pass


error = Error

def _is_atomic(x):
    return x is None or isinstance(x, (int, float, bool, str, bytes, range, type)) or \
        (callable(x) and not hasattr(x, "__dict__"))


def copy(x):
    if isinstance(x, list):
        return list(x)
    if isinstance(x, dict):
        return dict(x)
    if isinstance(x, set):
        return set(x)
    if _is_atomic(x) or isinstance(x, (tuple, frozenset)):
        return x
    method = getattr(x, "__copy__", None)
    if method is not None:
        return method()
    return _copy_instance(x, lambda v: v)


def _copy_instance(x, convert, memo=None):
    """A user instance copied as CPython's __reduce_ex__ does: a new
    instance of the class (its __init__ not run) with the attributes
    (converted: deep copies for deepcopy), the slots, and the items of a
    dict/list subclass."""
    cls = type(x)
    try:
        y = _nl_object_new(cls)
    except TypeError:
        raise Error("un(deep)copyable object of type %s" % cls.__name__) from None
    if memo is not None:
        memo[id(x)] = y
    return _fill(x, y, convert)


def _fill(x, y, convert):
    if isinstance(x, dict):
        for k, v in x.items():
            y[convert(k)] = convert(v)
    elif isinstance(x, list):
        for v in x:
            y.append(convert(v))
    try:
        state = vars(x)
    except TypeError:
        state = {}
    for k, v in list(state.items()):
        object.__setattr__(y, k, convert(v))
    for klass in type(x).__mro__:
        for name in getattr(klass, "__dict__", {}).get("__slots__", ()):
            if hasattr(x, name):
                object.__setattr__(y, name, convert(getattr(x, name)))
    return y


def deepcopy(x, memo=None):
    if memo is None:
        memo = {}
    key = id(x)
    if key in memo:
        return memo[key]
    if _is_atomic(x):
        return x
    if isinstance(x, list):
        y = []
        memo[key] = y
        for item in x:
            y.append(deepcopy(item, memo))
        return y
    if isinstance(x, dict):
        y = {}
        memo[key] = y
        for k, v in x.items():
            y[deepcopy(k, memo)] = deepcopy(v, memo)
        return y
    if isinstance(x, tuple):
        items = [deepcopy(item, memo) for item in x]
        if all(a is b for a, b in zip(items, x)):
            return x
        y = tuple(items)
        memo[key] = y
        return y
    if isinstance(x, set):
        y = set(deepcopy(item, memo) for item in x)
        memo[key] = y
        return y
    if isinstance(x, frozenset):
        return x
    method = getattr(x, "__deepcopy__", None)
    if method is not None:
        y = method(memo)
        memo[key] = y
        return y
    return _copy_instance(x, lambda v: deepcopy(v, memo), memo)
