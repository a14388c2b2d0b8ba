# event: {"frames": ["0a1b", "ff00", "7f7f"], "unit": "f"}
# A handler whose code lives in sub-packages: absolute and relative
# imports, `import a.b.c` then `a.b.c.f`, `from pkg import submodule`,
# `from .. import`, and a package __init__ re-exporting names.
import sensors.codecs.hexframe
from sensors import units
from sensors.units import convert as conv
from sensors import VERSION, decode_all


def handler(event, context):
    raw = [sensors.codecs.hexframe.decode(f) for f in event["frames"]]
    temps = [units.convert.to_unit(r[0] / 4, event["unit"]) for r in raw]
    return {
        "raw": raw,
        "temps": temps,
        "again": conv.to_unit(25, "k"),
        "all": decode_all(event["frames"]),
        "version": VERSION,
        "bound": [hasattr(sensors, n) for n in ("codecs", "units", "hexframe", "nope")],
    }
