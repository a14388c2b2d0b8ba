from . import convert
