# event: {"status_words": [0, 1, 45057, 65535, 12345], "packed": "0x1F3A5C7E"}
# arena-kib: 256
FLAGS = {0: "POWER", 1: "ALARM", 2: "LOW_BATT", 3: "TAMPER", 12: "MAINT", 15: "FAULT"}


def decode(word: int) -> dict:
    active = [name for bit, name in sorted(FLAGS.items()) if word >> bit & 1]
    mode = (word >> 4) & 0b111
    level = (word & 0x0F00) >> 8
    return {
        "word": f"{word:#06x}",
        "bin": f"{word:016b}",
        "active": active,
        "mode": mode,
        "level": level,
        "popcount": bin(word).count("1"),
        "lowest": (word & -word).bit_length() - 1 if word else None,
        "bits": word.bit_length(),
    }


def handler(event, context):
    packed = int(event["packed"], 16)
    fields = [(packed >> shift) & 0xFF for shift in (24, 16, 8, 0)]
    swapped = int.from_bytes(packed.to_bytes(4, "big"), "little")
    return {
        "decoded": [decode(w) for w in event["status_words"]],
        "fields": fields,
        "swapped": f"0x{swapped:08X}",
        "rotl": ((packed << 3) | (packed >> 29)) & 0xFFFFFFFF,
        "inv": ~packed & 0xFFFFFFFF,
        "signed": int.from_bytes(b"\xff\xfe", "big", signed=True),
        "oct": oct(packed),
    }
