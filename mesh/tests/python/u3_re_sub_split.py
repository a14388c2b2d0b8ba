# event: {"text": "Temp=21.5C, Hum=40%, temp=19.0C; PRESSURE=1013hPa", "template": "Hi {name}, order {id} is {status}"}
# arena-kib: 128
import re


def c_to_f(m):
    return f"{float(m.group(1)) * 9 / 5 + 32:.1f}F"


def handler(event, context):
    text = event["text"]
    values = {"name": "Ada", "id": "A-7"}
    return {
        "sub_func": re.sub(r"(\d+(?:\.\d+)?)C", c_to_f, text),
        "sub_backref": re.sub(r"(\w+)=(\S+?)[,;]?(?=\s|$)", r"\2<-\1", text),
        "sub_named": re.sub(r"(?P<k>\w+)=", r"\g<k>: ", "a=1 b=2"),
        "subn": re.subn(r"\d", "#", "a1b2c3"),
        "count": re.sub(r"a", "A", "banana", count=2),
        "template": re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), event["template"]),
        "split": re.split(r"[,;]\s*", text),
        "split_groups": re.split(r"(,|;)", "a,b;c"),
        "split_max": re.split(r"\s+", "a b  c   d", maxsplit=2),
        "ignorecase": re.findall(r"temp=([\d.]+)", text, flags=re.IGNORECASE),
        "ignorecase_i": re.findall(r"(?i)pressure=(\d+)", text),
        "multiline": re.findall(r"^\w+", "one two\nthree four\nfive", re.M),
        "dotall": bool(re.search(r"a.b", "a\nb", re.S)),
        "verbose": re.match(r"""
            (\d{4})  # year
            -(\d{2}) # month
        """, "2024-05", re.X).groups(),
        "finditer": [(m.group(), m.start()) for m in re.finditer(r"[A-Z]{2,}", text)],
        "escape": re.escape("a.b*c"),
        "compiled_sub": re.compile(r"\s+").sub(" ", "a   b \t c"),
        "flags_combo": bool(re.match(r"^b", "a\nB", re.I | re.M)) is False,
        "search_none": re.search(r"xyz", text) is None,
    }
