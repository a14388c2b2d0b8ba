# event: null
class Device:
    count = 0
    tags = []

    def __init__(self, name):
        self.name = name
        Device.count += 1
        self.tags.append(name)

def handler(event, context):
    a = Device("a")
    b = Device("b")
    a.count = 100
    return {"class_count": Device.count, "a_count": a.count, "b_count": b.count, "shared_tags": b.tags, "same_list": a.tags is Device.tags}
