# event: null
def append_to(item, target=[]):
    target.append(item)
    return target

def greet(name, greeting="hello", punct="!"):
    return greeting + " " + name + punct

def handler(event, context):
    first = append_to(1)
    second = append_to(2)
    fresh = append_to(3, [])
    return {
        "shared": second, "same_object": first is second, "fresh": fresh,
        "greets": [greet("a"), greet("b", "hi"), greet("c", punct="?"), greet(greeting="yo", name="d")],
    }
