# event: null
class Version:
    def __init__(self, major, minor):
        self.major = major
        self.minor = minor

    def __eq__(self, other):
        if not isinstance(other, Version):
            return False
        return self.major == other.major and self.minor == other.minor

    def __lt__(self, other):
        return (self.major, self.minor) < (other.major, other.minor)

def handler(event, context):
    a, b, c = Version(1, 2), Version(1, 2), Version(2, 0)
    vs = sorted([c, a, Version(0, 9)])
    return {"eq": a == b, "ne": a != c, "is": a is b, "other": a == "1.2", "in": b in [c, a], "sorted": [[v.major, v.minor] for v in vs], "lt": a < c}
