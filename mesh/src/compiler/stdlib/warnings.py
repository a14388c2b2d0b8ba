"""warnings for nanolambda: `warn`, `filterwarnings`, `simplefilter`,
`resetwarnings`, `catch_warnings` (with `record=True`), `showwarning`,
`formatwarning`, after CPython 3.11's filter semantics: the first filter
matching the message (a regular expression matched at its start, case
insensitive), category (by subclass), module and line decides among
"error" (raise the warning), "ignore", "always", "once" (show once per
text and category until the filters change) and "default"/"module", which
CPython shows once per call site or module: the VM has no frames to tell
call sites apart, so they act as "once" (two `warn` calls of the same
text on different lines show once, not twice). Shown warnings go to
the function's log (`sys.stderr`) as `<module>:<line>: <Category>:
<message>`; without frames, the module and file are `sys` and the line
1, as in CPython when the caller's frame is out of reach (so the default
filters ignore DeprecationWarning, as they do for a Lambda handler's
module). The `Warning` classes are the builtins when the VM has
them, else ones made here (`warnings.UserWarning`...)."""

import sys

try:
    Warning = Warning
    UserWarning = UserWarning
    DeprecationWarning = DeprecationWarning
    PendingDeprecationWarning = PendingDeprecationWarning
    RuntimeWarning = RuntimeWarning
    FutureWarning = FutureWarning
except NameError:

    class Warning(Exception):
        pass

    class UserWarning(Warning):
        pass

    class DeprecationWarning(Warning):
        pass

    class PendingDeprecationWarning(Warning):
        pass

    class RuntimeWarning(Warning):
        pass

    class FutureWarning(Warning):
        pass


_ACTIONS = ("error", "ignore", "always", "default", "module", "once")

# (action, message regex or None, category, module regex or None, lineno),
# first match wins; CPython's defaults for a release build.
filters = []
_shown = set()


def _defaults():
    filters[:] = [
        ("default", None, DeprecationWarning, "__main__", 0),
        ("ignore", None, DeprecationWarning, None, 0),
        ("ignore", None, PendingDeprecationWarning, None, 0),
    ]


_defaults()


def _check_action(action, lineno):
    # CPython checks its arguments with `assert` (AssertionError).
    if action not in _ACTIONS:
        raise AssertionError("invalid action: %r" % (action,))
    if not isinstance(lineno, int) or lineno < 0:
        raise AssertionError("lineno must be an int >= 0")


def _add(item, append):
    _shown.clear()
    if not append:
        if item in filters:
            filters.remove(item)
        filters.insert(0, item)
    elif item not in filters:
        filters.append(item)


def filterwarnings(action, message="", category=Warning, module="", lineno=0, append=False):
    """Insert a filter: `message` and `module` are regular expressions
    matched at the start (message case-insensitively)."""
    if action not in _ACTIONS:
        raise AssertionError("invalid action: %r" % (action,))
    if not isinstance(message, str):
        raise AssertionError("message must be a string")
    if not isinstance(category, type):
        raise AssertionError("category must be a class")
    if not issubclass(category, Warning):
        raise AssertionError("category must be a Warning subclass")
    if not isinstance(module, str):
        raise AssertionError("module must be a string")
    _check_action(action, lineno)
    if message or module:
        import re

    msg = re.compile(message, re.I) if message else None
    mod = re.compile(module) if module else None
    _add((action, msg, category, mod, lineno), append)


def simplefilter(action, category=Warning, lineno=0, append=False):
    """Insert a filter matching every message and module."""
    _check_action(action, lineno)
    _add((action, None, category, None, lineno), append)


def resetwarnings():
    """Clear the filters (CPython's defaults are gone too, as there)."""
    filters[:] = []
    _shown.clear()


def formatwarning(message, category, filename, lineno, line=None):
    s = "%s:%s: %s: %s\n" % (filename, lineno, category.__name__, message)
    if line:
        s += "  %s\n" % line.strip()
    return s


def _showwarning_orig(message, category, filename, lineno, file=None, line=None):
    target = sys.stderr if file is None else file
    try:
        target.write(formatwarning(message, category, filename, lineno, line))
    except OSError:
        pass


showwarning = _showwarning_orig


def _matches(pattern, text):
    if pattern is None:
        return True
    if isinstance(pattern, str):
        return pattern == text
    return pattern.match(text) is not None


def warn(message, category=None, stacklevel=1, source=None):
    """Issue a warning: `message` is a str or a Warning instance."""
    if isinstance(message, Warning):
        category = type(message)
    if category is None:
        category = UserWarning
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TypeError("category must be a Warning subclass, not '%s'" % type(category).__name__)
    text = str(message)
    instance = message if isinstance(message, Warning) else category(message)
    # No frames to inspect: CPython's own answer when the caller's frame
    # is out of reach (module and file "sys", line 1).
    module, lineno = "sys", 1
    action = "default"
    for act, msg, cat, mod, line in filters:
        if (_matches(msg, text) and issubclass(category, cat) and _matches(mod, module)
                and (line == 0 or line == lineno)):
            action = act
            break
    if action == "error":
        raise instance
    if action == "ignore":
        return
    if action != "always":
        key = (text, category)
        if key in _shown:
            return
        _shown.add(key)
    showwarning(instance, category, module, lineno)


def warn_explicit(message, category, filename, lineno, module=None, registry=None,
                  module_globals=None, source=None):
    warn(message, category)


def __getattr__(name):
    # WarningMessage and catch_warnings are made on first use (PEP 562):
    # most handlers import warnings only to call filterwarnings or warn.
    if name in ("WarningMessage", "catch_warnings"):
        _make_classes()
        return globals()[name]
    raise AttributeError("module 'warnings' has no attribute '%s'" % name)


def _make_classes():
    class WarningMessage:
        def __init__(self, message, category, filename, lineno, file=None, line=None, source=None):
            self.message = message
            self.category = category
            self.filename = filename
            self.lineno = lineno
            self.file = file
            self.line = line
            self.source = source
            self._category_name = category.__name__ if category else None

        def __str__(self):
            return "{message : %r, category : %r, filename : %r, lineno : %s, line : %r}" % (
                self.message, self._category_name, self.filename, self.lineno, self.line)

    class catch_warnings:
        """Save the filters (and `showwarning`) on entry, restore them on exit;
        with `record=True` the warnings shown meanwhile are collected in the
        list `__enter__` returns instead of being logged."""

        def __init__(self, *, record=False, module=None, action=None, category=Warning,
                     lineno=0, append=False):
            self._record = record
            self._filter = (action, category, lineno, append)
            self._entered = False

        def __enter__(self):
            global showwarning
            if self._entered:
                raise RuntimeError("Cannot enter %r twice" % self)
            self._entered = True
            self._filters = filters[:]
            self._showwarning = showwarning
            _shown.clear()
            action, category, lineno, append = self._filter
            if action is not None:
                simplefilter(action, category, lineno, append)
            if not self._record:
                return None
            log = []

            def record(message, category, filename, lineno, file=None, line=None):
                log.append(WarningMessage(message, category, filename, lineno, file, line))

            showwarning = record
            return log

        def __exit__(self, *exc_info):
            global showwarning
            if not self._entered:
                raise RuntimeError("Cannot exit %r without entering first" % self)
            filters[:] = self._filters
            _shown.clear()
            showwarning = self._showwarning
            return False

    globals()["WarningMessage"] = WarningMessage
    globals()["catch_warnings"] = catch_warnings
