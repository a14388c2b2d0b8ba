def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def to_unit(celsius, unit):
    if unit == "f":
        return round(celsius * 9 / 5 + 32, 2)
    if unit == "k":
        return round(celsius + 273.15, 2)
    return celsius
