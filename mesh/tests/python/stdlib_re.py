# event: {"lines": ["2023-11-14 22:13:20 sensor-17 temp=21.5C hum=40%", "2023-11-14 22:14:02 sensor-3 temp=-2.25C hum=88%", "garbage line", "2023-11-14 22:15:00 gw-1 status=OK"], "email": "Ops <ops.team@example.org>, bad@x"}
# arena-kib: 128
# The bundled re: parsing log lines and readings with regular expressions.
import re

LINE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2}) (?P<time>[\d:]{8}) (?P<device>[\w-]+) (?P<rest>.*)$")
PAIR = re.compile(r"(\w+)=(-?\d+(?:\.\d+)?|\w+)(%|C)?")


def handler(event, context):
    parsed, rejected = [], []
    for line in event["lines"]:
        m = LINE.match(line)
        if not m:
            rejected.append(line)
            continue
        fields = {k: (float(v) if re.fullmatch(r"-?\d+(\.\d+)?", v) else v) for k, v, _ in PAIR.findall(m.group("rest"))}
        parsed.append({"device": m.group("device"), "at": m.group("date") + "T" + m["time"], "fields": fields,
                       "span": list(m.span("rest")), "last": m.lastgroup})
    return {
        "parsed": parsed,
        "rejected": rejected,
        "emails": re.findall(r"[\w.+-]+@[\w-]+\.[a-z]{2,}", event["email"]),
        "masked": re.sub(r"(?<=\w)\w(?=\w*@)", "*", "ops.team@example.org"),
        "split": re.split(r"\s*[,;]\s*", "a , b;c ;d"),
        "words": re.sub(r"\b(\w)(\w*)", lambda m: m.group(1).upper() + m.group(2), "hello wide world"),
        "subn": re.subn(r"(?i)TEMP", "t", "temp Temp TEMP"),
        "iter": [m.span() for m in re.finditer(r"a*", "baac")],
        "escape": re.escape("1.5*x"),
        "multiline": re.findall(r"(?m)^\w+$", "one\ntwo words\nthree"),
        "backref": re.sub(r"(\w)\1", r"[\1\1]", "aabbcd"),
        "groups": re.match(r"(a)(b)?(c)?", "ac").groups("-"),
    }
