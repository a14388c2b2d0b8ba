# event: {"alerts": [{"device": "pump-7", "metric": "temperature", "value": 91.456, "limit": 80, "site": "Plant North", "notes": "Bearing noise reported by the night shift; maintenance ticket pending since Monday. Please check the lubrication schedule before restarting."}, {"device": "fan-2", "metric": "rpm", "value": 120, "limit": 900, "site": "Plant South", "notes": ""}]}
# arena-kib: 128
import textwrap
from collections import defaultdict
from string import Template


class SafeDict(dict):
    def __missing__(self, key):
        return "{" + key + "}"


SMS = Template("[$severity] $device@$site: $metric=${value}${unit} (limit $limit)")
EMAIL = Template("""\
    Hello $$name,

    Device $device at $site reported $metric = $value.
    $missing_field
""")
SUBJECT = "{site}: {device} {metric} {direction} limit ({value:.1f} vs {limit})"


def severity(value, limit):
    ratio = value / limit
    return "CRIT" if ratio > 1.1 or ratio < 0.2 else "WARN"


def handler(event, context):
    messages = []
    for alert in event["alerts"]:
        fields = dict(alert)
        fields["severity"] = severity(alert["value"], alert["limit"])
        fields["direction"] = "above" if alert["value"] > alert["limit"] else "below"
        fields["unit"] = {"temperature": "C"}.get(alert["metric"], "")
        sms = SMS.substitute(fields)
        subject = SUBJECT.format_map(fields)
        partial = "{device} on {shift} shift".format_map(SafeDict(device=alert["device"]))
        body = textwrap.dedent(EMAIL.safe_substitute(fields))
        notes = alert["notes"] or "(no notes)"
        wrapped = textwrap.fill(notes, width=40, initial_indent="  > ", subsequent_indent="  > ")
        messages.append({
            "sms": sms,
            "smsShort": textwrap.shorten(sms, width=30, placeholder="..."),
            "subject": subject,
            "partial": partial,
            "body": body.splitlines(),
            "notes": wrapped.splitlines(),
            "indented": textwrap.indent("a\n\nb", "| "),
            "lines": textwrap.wrap(notes, 25, break_long_words=False)[:3],
        })
    try:
        SMS.substitute({"device": "x"})
        missing = None
    except KeyError as exc:
        missing = f"KeyError: {exc}"
    by_site = defaultdict(list)
    for a in event["alerts"]:
        by_site[a["site"]].append(a["device"])
    table = "\n".join(f"{site:<12}|{', '.join(devs):>10}|{len(devs):03d}" for site, devs in by_site.items())
    return {
        "messages": messages,
        "missing": missing,
        "invalid": Template("cost: $5").safe_substitute(),
        "table": table.splitlines(),
        "ids": Template("$a ${b}").get_identifiers() if hasattr(Template, "get_identifiers") else None,
    }
