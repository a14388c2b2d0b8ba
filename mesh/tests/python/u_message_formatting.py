# event: {"user": {"name": "Zoë", "plan": "pro"}, "template": "Hello {name}, your {plan} plan renews on {date}. Ref {ref!r}", "history": {"2026-01": 3, "2026-02": 5, "2026-03": 4}}


class Defaults(dict):
    def __missing__(self, key):
        return "<" + key + ">"


def handler(event, context):
    user = event["user"]
    text = event["template"].format_map(Defaults(user, ref="A-1"))
    recent = list(reversed(event["history"].items()))[:2]
    return {
        "text": text,
        "ascii": [user["name"].isascii(), user["plan"].isascii()],
        "printable": ["tab\there".isprintable(), "ok".isprintable()],
        "recent": recent,
        "keys_rev": list(reversed(event["history"].keys())),
        "types": [(1).__class__.__name__, "x".__class__.__name__, [].__class__ is list],
        "padded": "{name:*^12}|{plan:>6}".format_map(user),
    }
