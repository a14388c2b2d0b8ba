VERSION = "2.1"

from .codecs import hexframe
from .codecs.hexframe import decode


def decode_all(frames):
    return [sum(decode(f)) for f in frames]
