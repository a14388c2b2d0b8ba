# event: {"readings": {"t1": 20.5, "t2": -999, "t3": 21.0}}
# arena-kib: 32


def attempt(fn):
    try:
        return fn()
    except RuntimeError as e:
        return "RuntimeError: %s" % e


def handler(event, context):
    readings = dict(event["readings"])

    def drop_bad_wrongly():
        for k in readings:
            if readings[k] < -100:
                del readings[k]
        return sorted(readings)

    def add_while_iterating():
        d = {"a": 1}
        for k in d:
            d[k + "x"] = 2
        return d

    def set_grows():
        s = {1, 2}
        for x in s:
            s.add(x + 10)
        return sorted(s)

    def values_view():
        d = {"a": 1, "b": 2}
        for v in d.values():
            d.pop("b", None)
        return d

    def update_in_place_is_fine():
        d = {"a": 1, "b": 2}
        for k in d:
            d[k] = d[k] * 10
        return d

    def the_right_way():
        clean = dict(event["readings"])
        for k in list(clean):
            if clean[k] < -100:
                del clean[k]
        return sorted(clean)

    return [attempt(f) for f in (drop_bad_wrongly, add_while_iterating, set_grows, values_view,
                                 update_in_place_is_fine, the_right_way)]
