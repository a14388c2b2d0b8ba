FACTORS = {"C": (1, 0), "F": (9 / 5, 32)}

def convert(celsius, unit):
    scale, offset = FACTORS[unit]
    return round(celsius * scale + offset, 2)
