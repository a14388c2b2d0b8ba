from ..units.convert import clamp


def decode(frame):
    data = bytes.fromhex(frame)
    return [clamp(b, 0, 200) for b in data]
