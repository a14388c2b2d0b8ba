"""A module whose names are made on first use (PEP 562 __getattr__), as
libraries do for lazy loading and deprecation shims."""

made = []
RENAMED = {"old_name": "new_name"}


def new_name(x):
    return x * 2


def __getattr__(name):
    if name in RENAMED:
        return globals()[RENAMED[name]]
    if name.startswith("unit_"):
        value = name[len("unit_"):].upper()
        made.append(name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
