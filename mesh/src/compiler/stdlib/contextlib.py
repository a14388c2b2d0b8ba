"""contextlib for nanolambda: `contextmanager`, `suppress`, `nullcontext`,
`closing`, `redirect_stdout`/`redirect_stderr` (they swap `sys.stdout`,
which `print` honours) and `ExitStack`, following CPython 3.11's `__exit__` logic. A
`contextmanager` generator gets the block's exception through
`generator.throw`."""


class _GeneratorContextManager:
    def __init__(self, func, args, kwds):
        self.gen = func(*args, **kwds)
        self._recreate = (func, args, kwds)

    def __call__(self, func):
        # Used as a decorator: each call runs inside a fresh manager.
        def inner(*args, **kwds):
            with _GeneratorContextManager(*self._recreate):
                return func(*args, **kwds)

        inner.__name__ = func.__name__
        inner.__wrapped__ = func
        return inner

    def __enter__(self):
        try:
            return next(self.gen)
        except StopIteration:
            raise RuntimeError("generator didn't yield") from None

    def __exit__(self, typ, value, traceback):
        if typ is None:
            try:
                next(self.gen)
            except StopIteration:
                return False
            raise RuntimeError("generator didn't stop")
        if value is None:
            value = typ()
        try:
            self.gen.throw(value)
        except StopIteration as exc:
            return exc is not value
        except RuntimeError as exc:
            if exc is value:
                return False
            if isinstance(value, StopIteration) and exc.__cause__ is value:
                return False
            raise
        except BaseException as exc:
            if exc is not value:
                raise
            return False
        raise RuntimeError("generator didn't stop after throw()")


def contextmanager(func):
    def helper(*args, **kwds):
        return _GeneratorContextManager(func, args, kwds)

    return helper


# redirect_stdout and redirect_stderr are made on first use (PEP 562):
# a class costs arena, and most handlers import contextlib for the rest.
_redirect = []


def __getattr__(name):
    if name not in ("redirect_stdout", "redirect_stderr"):
        raise AttributeError("module 'contextlib' has no attribute '%s'" % name)
    if not _redirect:

        class redirect_stdout:
            _stream = "stdout"

            def __init__(self, new_target):
                self._new_target = new_target
                self._old_targets = []

            def __enter__(self):
                import sys

                self._old_targets.append(getattr(sys, self._stream))
                setattr(sys, self._stream, self._new_target)
                return self._new_target

            def __exit__(self, exctype, excinst, exctb):
                import sys

                setattr(sys, self._stream, self._old_targets.pop())

        class redirect_stderr(redirect_stdout):
            _stream = "stderr"

        _redirect.append(redirect_stdout)
        _redirect.append(redirect_stderr)
    return _redirect[0] if name == "redirect_stdout" else _redirect[1]


class suppress:
    def __init__(self, *exceptions):
        self._exceptions = exceptions

    def __enter__(self):
        pass

    def __exit__(self, exctype, excinst, exctb):
        return exctype is not None and issubclass(exctype, self._exceptions)


class nullcontext:
    def __init__(self, enter_result=None):
        self.enter_result = enter_result

    def __enter__(self):
        return self.enter_result

    def __exit__(self, *excinfo):
        pass


class closing:
    def __init__(self, thing):
        self.thing = thing

    def __enter__(self):
        return self.thing

    def __exit__(self, *exc_info):
        self.thing.close()


class ExitStack:
    def __init__(self):
        self._exit_callbacks = []

    def __enter__(self):
        return self

    def enter_context(self, cm):
        result = cm.__enter__()
        self._exit_callbacks.append((True, cm.__exit__))
        return result

    def push(self, exit):
        method = getattr(exit, "__exit__", None)
        self._exit_callbacks.append((True, method if method is not None else exit))
        return exit

    def callback(self, callback, *args, **kwds):
        def _exit_wrapper(exc_type, exc, tb):
            callback(*args, **kwds)

        self._exit_callbacks.append((False, _exit_wrapper))
        return callback

    def pop_all(self):
        new_stack = ExitStack()
        new_stack._exit_callbacks = self._exit_callbacks
        self._exit_callbacks = []
        return new_stack

    def close(self):
        self.__exit__(None, None, None)

    def __exit__(self, exc_type, exc, tb):
        received_exc = exc_type is not None
        suppressed_exc = False
        pending_raise = False
        while self._exit_callbacks:
            is_sync, cb = self._exit_callbacks.pop()
            try:
                if cb(exc_type, exc, tb):
                    suppressed_exc = True
                    pending_raise = False
                    exc_type, exc, tb = None, None, None
            except BaseException as new_exc:
                exc_type, exc, tb = type(new_exc), new_exc, None
                pending_raise = True
        if pending_raise:
            raise exc
        return received_exc and suppressed_exc
