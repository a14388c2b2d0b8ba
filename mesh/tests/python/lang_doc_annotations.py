"""Telemetry handler: docstrings and annotations as tools read them."""
# event: {"reading": {"device": "t-1", "value": 21.5, "unit": "C"}}
# arena-kib: 48
import functools
from functools import singledispatch
from typing import Optional


class Reading:
    """One sensor reading."""

    unit: str = "C"

    def scaled(self, factor: float = 1.0) -> float:
        """The value times `factor`."""
        return self.value * factor

    def plain(self):
        return self.value


class Calibrated(Reading):
    pass


def parse(raw: dict, *extra: str, strict: bool = False, **options: int) -> Optional[Reading]:
    """Build a Reading from a raw dict.

    Returns None when the value is missing.
    """
    r = Reading()
    r.value = raw.get("value")
    return r if r.value is not None else None


def undocumented(x, y=2):
    return x + y


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


@logged
def convert(celsius: float) -> float:
    """Celsius to Fahrenheit."""
    return celsius * 9 / 5 + 32


@singledispatch
def render(value) -> str:
    return "?"


@render.register
def _(value: float) -> str:
    return f"{value:.1f}"


@render.register
def _(value: Reading) -> str:
    return "reading " + render(value.value)


def check_types(fn):
    """A validation decorator reading the annotations, as handler libraries do."""
    hints = fn.__annotations__

    @functools.wraps(fn)
    def wrapper(*args):
        for (name, expected), arg in zip(hints.items(), args):
            if name != "return" and isinstance(expected, type) and not isinstance(arg, expected):
                raise TypeError(f"{name} must be {expected.__name__}, not {type(arg).__name__}")
        return fn(*args)

    return wrapper


@check_types
def ratio(part: int, whole: int) -> float:
    return part / whole


def handler(event, context):
    r = parse(event["reading"])
    ann = parse.__annotations__
    undocumented.__annotations__["x"] = int
    try:
        ratio(1, "2")
        err = None
    except TypeError as e:
        err = str(e)
    return {
        "module_doc": __doc__,
        "class_doc": Reading.__doc__,
        "inherited_doc": Calibrated.__doc__,
        "instance_doc": r.__doc__,
        "method_doc": r.scaled.__doc__,
        "plain_doc": Reading.plain.__doc__,
        "fn_doc_first_line": parse.__doc__.splitlines()[0],
        "fn_doc_lines": len(parse.__doc__.splitlines()),
        "lambda_doc": (lambda: 0).__doc__,
        "wrapped_doc": convert.__doc__,
        "wrapped_name": convert.__name__,
        "wrapped_ann": sorted(convert.__annotations__),
        "ann_order": list(ann),
        "ann_types": [ann["raw"] is dict, ann["extra"] is str, ann["strict"] is bool, ann["options"] is int],
        "method_ann": {k: v.__name__ for k, v in Reading.scaled.__annotations__.items()},
        "undocumented": [undocumented.__doc__, sorted(undocumented.__annotations__)],
        "same_dict": undocumented.__annotations__ is undocumented.__annotations__,
        "class_ann": sorted(Reading.__annotations__),
        "render": [render(2.25), render(r), render("x")],
        "validation": err,
        "ratio": ratio(1, 4),
        "scaled": r.scaled(2.0),
    }
