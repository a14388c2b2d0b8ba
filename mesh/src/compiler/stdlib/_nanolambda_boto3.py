"""Python half of boto3 in the VM (node-firmware/src/vm/boto3.rs), linked
into every package that imports boto3; not a CPython module and not
importable by name. It turns the store's Unix milliseconds into the
timezone-aware datetime boto3 returns as LastModified, and reads the
timestamps of IfModifiedSince / IfUnmodifiedSince as botocore does
(botocore.utils.parse_to_aware_datetime, then whole seconds as the HTTP
date header carries them). Its functions raise TypeError or ValueError for
a value botocore would refuse; the VM reports that as ParamValidationError."""

from datetime import datetime, timedelta, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_SECOND = timedelta(seconds=1)


def last_modified(year, month, day, hour, minute, second, microsecond):
    """The UTC datetime of these fields (computed by the VM from the
    store's Unix milliseconds)."""
    return datetime(year, month, day, hour, minute, second, microsecond, timezone.utc)


def _parse_text(text):
    """A date in the forms botocore users write: ISO 8601 (`2026-11-27`,
    `2026-11-27T12:00:00Z`, `...+02:00`, with a space or fractions) or an
    HTTP date (`Fri, 27 Nov 2026 12:00:00 GMT`)."""
    s = text.strip()
    if s[-1:] in ("Z", "z"):
        s = s[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(s)
    except ValueError:
        pass
    for fmt in ("%a, %d %b %Y %H:%M:%S %Z", "%d %b %Y %H:%M:%S %Z", "%a, %d %b %Y %H:%M:%S %z"):
        try:
            return datetime.strptime(s, fmt)
        except ValueError:
            pass
    raise ValueError('Invalid timestamp "%s"' % text)


def epoch_seconds(value):
    """Whole Unix seconds of a datetime (naive ones are UTC), an epoch
    number, or a timestamp string."""
    if isinstance(value, bool):
        raise TypeError("bool is no timestamp")
    if isinstance(value, (int, float)):
        return int(value // 1)
    if isinstance(value, str):
        try:
            return int(float(value) // 1)
        except ValueError:
            pass
        value = _parse_text(value)
    if not isinstance(value, datetime):
        raise TypeError("not a timestamp")
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return (value - _EPOCH) // _SECOND
