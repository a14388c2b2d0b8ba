"""The Python part of nanolambda's `json` (the VM's `json` is native):
`json.JSONEncoder`, the base class of encoders passed as
`json.dumps(obj, cls=...)` (the VM's `dumps` makes one with no arguments
and uses its `default`; `encode` calls `dumps` with the encoder's
settings), and `json.dump`/`json.load` on file-like objects (`io.StringIO`,
an S3 body)."""

import json as _json


def dump(obj, fp, **kw):
    fp.write(_json.dumps(obj, **kw))


def load(fp, **kw):
    return _json.loads(fp.read(), **kw)


class JSONEncoder:
    item_separator = ", "
    key_separator = ": "

    def __init__(self, *, skipkeys=False, ensure_ascii=True, check_circular=True,
                 allow_nan=True, sort_keys=False, indent=None, separators=None, default=None):
        self.skipkeys = skipkeys
        self.ensure_ascii = ensure_ascii
        self.check_circular = check_circular
        self.allow_nan = allow_nan
        self.sort_keys = sort_keys
        self.indent = indent
        if separators is not None:
            self.item_separator, self.key_separator = separators
        elif indent is not None:
            self.item_separator = ","
        if default is not None:
            self.default = default

    def default(self, o):
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    def encode(self, o):
        return _json.dumps(
            o,
            skipkeys=self.skipkeys,
            ensure_ascii=self.ensure_ascii,
            allow_nan=self.allow_nan,
            sort_keys=self.sort_keys,
            indent=self.indent,
            separators=(self.item_separator, self.key_separator),
            default=self.default,
        )

    def iterencode(self, o, _one_shot=False):
        return iter([self.encode(o)])
