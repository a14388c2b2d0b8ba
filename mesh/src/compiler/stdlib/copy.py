"""copy for nanolambda functions: copy() and deepcopy() of the built-in
containers, as CPython 3.11, with a memo so shared and cyclic structures
are copied once, and of instances whose class defines __copy__ /
__deepcopy__. Other class instances raise copy.Error: the VM cannot make
an instance without calling __init__ yet."""


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


def _copy_instance(x, convert):
    raise Error("copying instances of %s needs a __copy__ or __deepcopy__ method here"
                % type(x).__name__)


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
    y = _copy_instance(x, lambda v: deepcopy(v, memo))
    memo[key] = y
    return y
