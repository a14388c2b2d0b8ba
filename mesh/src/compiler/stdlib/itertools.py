"""itertools for nanolambda functions, after CPython 3.11. The iterators
are classes (the VM has no generators); the combinatoric ones compute
their results when created rather than one at a time, and groupby() reads
each group when it reaches it (a group stays valid after the next one is
taken, unlike CPython's)."""


class _Iter:
    def __iter__(self):
        return self


class count(_Iter):
    def __init__(self, start=0, step=1):
        self._n = start
        self._step = step

    def __next__(self):
        n = self._n
        self._n = n + self._step
        return n


class cycle(_Iter):
    def __init__(self, iterable):
        self._it = iter(iterable)
        self._saved = []
        self._i = -1

    def __next__(self):
        if self._i < 0:
            try:
                x = next(self._it)
                self._saved.append(x)
                return x
            except StopIteration:
                if not self._saved:
                    raise
                self._i = 0
        x = self._saved[self._i]
        self._i = (self._i + 1) % len(self._saved)
        return x


class repeat(_Iter):
    def __init__(self, obj, times=None):
        self._obj = obj
        self._left = times

    def __next__(self):
        if self._left is not None:
            if self._left <= 0:
                raise StopIteration
            self._left -= 1
        return self._obj


class accumulate(_Iter):
    def __init__(self, iterable, func=None, *, initial=None):
        self._it = iter(iterable)
        self._func = func
        self._total = initial
        self._started = initial is not None
        self._emit_initial = initial is not None

    def __next__(self):
        if self._emit_initial:
            self._emit_initial = False
            return self._total
        x = next(self._it)
        if not self._started:
            self._started = True
            self._total = x
        elif self._func is None:
            self._total = self._total + x
        else:
            self._total = self._func(self._total, x)
        return self._total


class chain(_Iter):
    def __init__(self, *iterables):
        self._sources = iter(iterables)
        self._it = None

    def __next__(self):
        while True:
            if self._it is None:
                self._it = iter(next(self._sources))
            try:
                return next(self._it)
            except StopIteration:
                self._it = None


def _from_iterable(iterables):
    return chain(*list(iterables))


chain.from_iterable = _from_iterable


class compress(_Iter):
    def __init__(self, data, selectors):
        self._pairs = zip(data, selectors)

    def __next__(self):
        while True:
            d, s = next(self._pairs)
            if s:
                return d


class dropwhile(_Iter):
    def __init__(self, predicate, iterable):
        self._pred = predicate
        self._it = iter(iterable)
        self._dropping = True

    def __next__(self):
        while self._dropping:
            x = next(self._it)
            if not self._pred(x):
                self._dropping = False
                return x
        return next(self._it)


class takewhile(_Iter):
    def __init__(self, predicate, iterable):
        self._pred = predicate
        self._it = iter(iterable)
        self._done = False

    def __next__(self):
        if self._done:
            raise StopIteration
        x = next(self._it)
        if self._pred(x):
            return x
        self._done = True
        raise StopIteration


class filterfalse(_Iter):
    def __init__(self, predicate, iterable):
        self._pred = bool if predicate is None else predicate
        self._it = iter(iterable)

    def __next__(self):
        while True:
            x = next(self._it)
            if not self._pred(x):
                return x


class starmap(_Iter):
    def __init__(self, function, iterable):
        self._f = function
        self._it = iter(iterable)

    def __next__(self):
        return self._f(*next(self._it))


class islice(_Iter):
    def __init__(self, iterable, *args):
        if len(args) == 1:
            start, stop, step = None, args[0], None
        elif len(args) in (2, 3):
            start, stop = args[0], args[1]
            step = args[2] if len(args) == 3 else None
        else:
            raise TypeError("islice expected at most 4 arguments, got %d" % (len(args) + 1))
        start = 0 if start is None else start
        step = 1 if step is None else step
        if not isinstance(start, int) or start < 0 or (stop is not None and (not isinstance(stop, int) or stop < 0)):
            raise ValueError("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
        if not isinstance(step, int) or step <= 0:
            raise ValueError("Step for islice() must be a positive integer or None.")
        self._it = iter(iterable)
        self._next = start
        self._stop = stop
        self._step = step
        self._i = 0

    def __next__(self):
        if self._stop is not None and self._next >= self._stop:
            while self._i < self._stop:
                self._i += 1
                next(self._it)
            raise StopIteration
        while self._i < self._next:
            self._i += 1
            next(self._it)
        self._i += 1
        x = next(self._it)
        self._next += self._step
        return x


class pairwise(_Iter):
    def __init__(self, iterable):
        self._it = iter(iterable)
        self._started = False
        self._last = None

    def __next__(self):
        if not self._started:
            self._started = True
            self._last = next(self._it)
        x = next(self._it)
        pair = (self._last, x)
        self._last = x
        return pair


class zip_longest(_Iter):
    def __init__(self, *iterables, fillvalue=None):
        self._its = [iter(i) for i in iterables]
        self._active = len(self._its)
        self._fill = fillvalue

    def __next__(self):
        if not self._its or self._active == 0:
            raise StopIteration
        out = []
        for i in range(len(self._its)):
            it = self._its[i]
            if it is None:
                out.append(self._fill)
                continue
            try:
                out.append(next(it))
            except StopIteration:
                self._its[i] = None
                self._active -= 1
                if self._active == 0:
                    raise
                out.append(self._fill)
        return tuple(out)


class groupby(_Iter):
    def __init__(self, iterable, key=None):
        self._it = iter(iterable)
        self._key = key
        self._pending = False
        self._item = None

    def __next__(self):
        if not self._pending:
            self._item = next(self._it)
            self._pending = True
        k = self._item if self._key is None else self._key(self._item)
        group = [self._item]
        while True:
            try:
                x = next(self._it)
            except StopIteration:
                self._pending = False
                break
            if (x if self._key is None else self._key(x)) == k:
                group.append(x)
            else:
                self._item = x
                break
        return (k, iter(group))


def tee(iterable, n=2):
    if n < 0:
        raise ValueError("n must be >= 0")
    items = list(iterable)
    return tuple(iter(items) for _ in range(n))


def product(*iterables, repeat=1):
    if repeat < 0:
        raise ValueError("repeat argument cannot be negative")
    pools = [tuple(pool) for pool in iterables] * repeat
    result = [()]
    for pool in pools:
        result = [x + (y,) for x in result for y in pool]
    return iter(result)


def permutations(iterable, r=None):
    pool = tuple(iterable)
    n = len(pool)
    r = n if r is None else r
    if r < 0:
        raise ValueError("r must be non-negative")
    out = []
    if r > n:
        return iter(out)
    indices = list(range(n))
    cycles = list(range(n, n - r, -1))
    out.append(tuple(pool[i] for i in indices[:r]))
    while n:
        i = r - 1
        while i >= 0:
            cycles[i] -= 1
            if cycles[i] == 0:
                indices[i:] = indices[i + 1:] + indices[i:i + 1]
                cycles[i] = n - i
            else:
                j = cycles[i]
                indices[i], indices[-j] = indices[-j], indices[i]
                out.append(tuple(pool[k] for k in indices[:r]))
                break
            i -= 1
        if i < 0:
            break
    return iter(out)


def combinations(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    if r < 0:
        raise ValueError("r must be non-negative")
    out = []
    if r > n:
        return iter(out)
    indices = list(range(r))
    out.append(tuple(pool[i] for i in indices))
    while True:
        i = r - 1
        while i >= 0 and indices[i] == i + n - r:
            i -= 1
        if i < 0:
            return iter(out)
        indices[i] += 1
        for j in range(i + 1, r):
            indices[j] = indices[j - 1] + 1
        out.append(tuple(pool[k] for k in indices))


def combinations_with_replacement(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    if r < 0:
        raise ValueError("r must be non-negative")
    out = []
    if not n and r:
        return iter(out)
    indices = [0] * r
    out.append(tuple(pool[i] for i in indices))
    while True:
        i = r - 1
        while i >= 0 and indices[i] == n - 1:
            i -= 1
        if i < 0:
            return iter(out)
        v = indices[i] + 1
        for j in range(i, r):
            indices[j] = v
        out.append(tuple(pool[k] for k in indices))
