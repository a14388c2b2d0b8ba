"""functools for nanolambda functions, after CPython 3.11: reduce, partial,
cmp_to_key, lru_cache/cache, wraps/update_wrapper, total_ordering,
cached_property, singledispatch.

Differences: lru_cache/cache return a callable object (with cache_info()
and cache_clear()) rather than a function; cached_property is a property
(caching in the instance dict); singledispatch registers by explicit type
only."""

_initial_missing = object()


def reduce(function, sequence, initial=_initial_missing):
    it = iter(sequence)
    if initial is _initial_missing:
        try:
            value = next(it)
        except StopIteration:
            raise TypeError("reduce() of empty iterable with no initial value")
    else:
        value = initial
    for element in it:
        value = function(value, element)
    return value


class partial:
    def __init__(self, func, *args, **keywords):
        if not callable(func):
            raise TypeError("the first argument must be callable")
        self.func = func
        self.args = args
        self.keywords = keywords

    def __call__(self, *args, **keywords):
        kw = dict(self.keywords)
        kw.update(keywords)
        return self.func(*self.args, *args, **kw)

    def __repr__(self):
        parts = [repr(self.func)]
        parts.extend(repr(x) for x in self.args)
        parts.extend("%s=%r" % (k, v) for k, v in self.keywords.items())
        return "functools.partial(%s)" % ", ".join(parts)


def cmp_to_key(mycmp):
    class K:
        def __init__(self, obj):
            self.obj = obj

        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0

        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0

        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0

        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0

        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0

    return K


class _CacheInfo:
    def __init__(self, hits, misses, maxsize, currsize):
        self.hits = hits
        self.misses = misses
        self.maxsize = maxsize
        self.currsize = currsize

    def __iter__(self):
        return iter((self.hits, self.misses, self.maxsize, self.currsize))

    def __eq__(self, other):
        return tuple(self) == tuple(other)

    def __repr__(self):
        return "CacheInfo(hits=%r, misses=%r, maxsize=%r, currsize=%r)" % (
            self.hits, self.misses, self.maxsize, self.currsize)


class _LruWrapper:
    def __init__(self, func, maxsize, typed):
        self.__wrapped__ = func
        self._maxsize = maxsize
        self._typed = typed
        self._cache = {}
        self._hits = 0
        self._misses = 0

    def _key(self, args, kwargs):
        key = args
        if kwargs:
            key = key + (_initial_missing,) + tuple(kwargs.items())
        if self._typed:
            key = key + tuple(type(a).__name__ for a in args)
        return key

    def __call__(self, *args, **kwargs):
        key = self._key(args, kwargs)
        if key in self._cache:
            self._hits += 1
            value = self._cache.pop(key)
            self._cache[key] = value
            return value
        self._misses += 1
        value = self.__wrapped__(*args, **kwargs)
        if self._maxsize is None or self._maxsize > 0:
            self._cache[key] = value
            if self._maxsize is not None and len(self._cache) > self._maxsize:
                del self._cache[next(iter(self._cache))]
        return value

    def cache_info(self):
        return _CacheInfo(self._hits, self._misses, self._maxsize, len(self._cache))

    def cache_clear(self):
        self._cache = {}
        self._hits = 0
        self._misses = 0


def lru_cache(maxsize=128, typed=False):
    if callable(maxsize) and isinstance(typed, bool):
        return _LruWrapper(maxsize, 128, typed)
    if maxsize is not None:
        if not isinstance(maxsize, int):
            raise TypeError("Expected first argument to be an integer, a callable, or None")
        if maxsize < 0:
            maxsize = 0

    def decorating_function(user_function):
        return _LruWrapper(user_function, maxsize, typed)
    return decorating_function


def cache(user_function):
    return _LruWrapper(user_function, None, False)


WRAPPER_ASSIGNMENTS = ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__")
WRAPPER_UPDATES = ("__dict__",)


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    for attr in assigned:
        try:
            value = getattr(wrapped, attr)
        except AttributeError:
            continue
        try:
            setattr(wrapper, attr, value)
        except (AttributeError, TypeError):
            pass
    for attr in updated:
        try:
            getattr(wrapper, attr).update(getattr(wrapped, attr, {}))
        except (AttributeError, TypeError):
            pass
    try:
        wrapper.__wrapped__ = wrapped
    except (AttributeError, TypeError):
        pass
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    def decorator(wrapper):
        return update_wrapper(wrapper, wrapped, assigned, updated)
    return decorator


def total_ordering(cls):
    has = [op for op in ("__lt__", "__le__", "__gt__", "__ge__")
           if getattr(cls, op, None) not in (None, getattr(object, op, None))]
    if not has:
        raise ValueError("must define at least one ordering operation: < > <= >=")
    if "__lt__" in has:
        lt = cls.__lt__
        if "__le__" not in has:
            cls.__le__ = lambda self, other: lt(self, other) or self == other
        if "__gt__" not in has:
            cls.__gt__ = lambda self, other: not (lt(self, other) or self == other)
        if "__ge__" not in has:
            cls.__ge__ = lambda self, other: not lt(self, other)
    elif "__le__" in has:
        le = cls.__le__
        cls.__lt__ = lambda self, other: le(self, other) and not self == other
        if "__gt__" not in has:
            cls.__gt__ = lambda self, other: not le(self, other)
        if "__ge__" not in has:
            cls.__ge__ = lambda self, other: not le(self, other) or self == other
    elif "__gt__" in has:
        gt = cls.__gt__
        cls.__lt__ = lambda self, other: not (gt(self, other) or self == other)
        cls.__ge__ = lambda self, other: gt(self, other) or self == other
        cls.__le__ = lambda self, other: not gt(self, other)
    else:
        ge = cls.__ge__
        cls.__le__ = lambda self, other: not ge(self, other) or self == other
        cls.__lt__ = lambda self, other: not ge(self, other)
        cls.__gt__ = lambda self, other: ge(self, other) and not self == other
    return cls


def cached_property(func):
    """The value `func(self)` computes on first access, kept in the
    instance's __dict__ (a property here: assignment and `del` work on the
    cached value, as with CPython's)."""
    name = func.__name__

    def getter(self):
        d = vars(self)
        if name in d:
            return d[name]
        value = func(self)
        d[name] = value
        return value

    def setter(self, value):
        vars(self)[name] = value

    def deleter(self):
        d = vars(self)
        if name not in d:
            raise AttributeError(name)
        del d[name]

    return property(getter, setter, deleter)


def singledispatch(func):
    """Dispatch on the type of the first argument: `@f.register(T)` (or
    `f.register(T, g)`) adds an implementation; the most recently
    registered class the argument is an instance of wins after an exact
    match. Differences: `@f.register` without a type (reading the
    parameter's annotation) is not supported: functions keep no
    annotations in the VM."""
    registry = {object: func}
    order = []

    def dispatch(cls):
        if cls in registry:
            return registry[cls]
        for klass in getattr(cls, "__mro__", ()):
            if klass in registry:
                return registry[klass]
        return func

    def register(cls, f=None):
        if f is None:
            if isinstance(cls, type):
                return lambda g: register(cls, g)
            # `@register` on an annotated function: the first parameter's
            # annotation is the class.
            ann = getattr(cls, "__annotations__", None)
            if not ann:
                raise TypeError(
                    "Invalid first argument to `register()`: " + repr(cls) + ". Use either "
                    "`@register(some_class)` or plain `@register` on an annotated function."
                )
            f = cls
            argname, cls = next(iter(ann.items()))
            if not isinstance(cls, type):
                raise TypeError("Invalid annotation for " + repr(argname) + ". " + repr(cls) + " is not a class.")
        registry[cls] = f
        order.append(cls)
        return f

    def wrapper(*args, **kw):
        if not args:
            raise TypeError(func.__name__ + " requires at least 1 positional argument")
        arg = args[0]
        impl = registry.get(type(arg))
        if impl is None:
            impl = func
            for klass in reversed(order):
                if isinstance(arg, klass):
                    impl = registry[klass]
                    break
        return impl(*args, **kw)

    wrapper.register = register
    wrapper.dispatch = dispatch
    wrapper.registry = registry
    update_wrapper(wrapper, func)
    return wrapper
