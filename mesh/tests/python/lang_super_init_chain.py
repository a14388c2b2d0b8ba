# event: null
class Base:
    def __init__(self, a):
        self.log = ["Base"]
        self.a = a

class Middle(Base):
    def __init__(self, a, b):
        super().__init__(a)
        self.log.append("Middle")
        self.b = b

class Leaf(Middle):
    def __init__(self):
        super().__init__(1, 2)
        self.log.append("Leaf")

    def total(self):
        return self.a + self.b

def handler(event, context):
    leaf = Leaf()
    return {"log": leaf.log, "total": leaf.total(), "isinstance": [isinstance(leaf, Base), isinstance(leaf, Middle), isinstance(Base(0), Leaf)]}
