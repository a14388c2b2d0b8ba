# event: {"xs": [0.3, 1, 2.5, 7, 10, 0.001, 123.456, -1.75]}
# arena-kib: 48
# Transcendental functions give CPython's digits to the last bit (the
# platform C library on hosts): sensor formulas (Steinhart-Hart, dew
# point, decibels) are reported exactly as CPython reports them.
import math


def steinhart_hart(r_ohm):
    a, b, c = 1.009249522e-03, 2.378405444e-04, 2.019202697e-07
    ln_r = math.log(r_ohm)
    return 1 / (a + b * ln_r + c * ln_r ** 3) - 273.15


def dew_point(t_c, rh):
    g = math.log(rh / 100) + 17.62 * t_c / (243.12 + t_c)
    return 243.12 * g / (17.62 - g)


def handler(event, context):
    out = []
    for x in event["xs"]:
        ax = abs(x)
        out.append([
            math.exp(x), math.log(ax), math.log10(ax), math.log2(ax), math.log(ax, 3),
            math.sin(x), math.cos(x), math.tan(x), math.atan(x), math.atan2(x, 3),
            math.hypot(x, 2.5), ax ** 0.37, math.pow(ax, 1.5), 10 ** (x / 20),
            math.sqrt(ax), math.exp(-x * x / 2) / math.sqrt(2 * math.pi),
        ])
    return {
        "values": [[repr(v) for v in row] for row in out],
        "thermistor": [repr(steinhart_hart(r)) for r in (10000, 4700, 22000)],
        "dew": [repr(dew_point(t, h)) for t, h in ((21.5, 40), (30.0, 85), (-5.0, 60))],
        "db": repr(20 * math.log10(0.00631 / 20e-6)),
        "e": repr(math.exp(1)),
    }
