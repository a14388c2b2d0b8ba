# event: {"raw": [512, 1023, 0, 768, 300], "calib": {"offset": -12, "gain": 1.0125}, "adc_bits": 10, "vref": 3.3}
# arena-kib: 256
import math


def to_volts(raw, bits, vref):
    return raw / ((1 << bits) - 1) * vref


def thermistor_c(v, vref=3.3, r_fixed=10000.0, beta=3950.0, r0=10000.0, t0=298.15):
    if v <= 0 or v >= vref:
        return None
    r = r_fixed * v / (vref - v)
    inv = 1 / t0 + math.log(r / r0) / beta
    return round(1 / inv - 273.15, 2)


def handler(event, context):
    c = event["calib"]
    bits, vref = event["adc_bits"], event["vref"]
    corrected = [max(0, min((1 << bits) - 1, round((r + c["offset"]) * c["gain"]))) for r in event["raw"]]
    volts = [round(to_volts(r, bits, vref), 4) for r in corrected]
    temps = [thermistor_c(v) for v in volts]
    valid = [t for t in temps if t is not None]
    ema = None
    for t in valid:
        ema = t if ema is None else round(0.3 * t + 0.7 * ema, 4)
    return {
        "corrected": corrected,
        "volts": volts,
        "temps": temps,
        "ema": ema,
        "divmod": divmod(-7, 3),
        "fdiv": [-7 // 2, -7 % 2, 7 // -2, 7.5 // 2, -7.5 % 2],
        "pow": [2 ** -1, pow(2, 10, 1000), (-8) ** (1 / 3) if False else None, 10 ** 18],
        "int_parse": [int("0x1f", 16), int("0b101", 0), int(" 42 "), int("-0o17", 8), int("1_000")],
        "float_parse": [float("1e3"), float(" -2.5 "), float("inf") > 1e308],
    }
