# event: {"jobs": [{"kind": "resize", "w": 10}, {"kind": "thumb"}, {"kind": "unknown"}]}


class PluginError(Exception):
    pass


class Plugin:
    plugins = {}
    order = []

    @classmethod
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        name = getattr(cls, "name", None) or cls.__name__.lower()
        if name in Plugin.plugins:
            raise PluginError(f"duplicate plugin {name}")
        Plugin.plugins[name] = cls
        Plugin.order.append(name)

    def run(self, job):
        raise NotImplementedError


class Resize(Plugin):
    def run(self, job):
        return job["w"] * 2


class Thumbnail(Resize):
    name = "thumb"

    def run(self, job):
        return "thumb:" + str(super().run({"w": 4}))


def handler(event, context):
    out = []
    for job in event["jobs"]:
        cls = Plugin.plugins.get(job["kind"])
        if cls is None:
            out.append(None)
            continue
        out.append(cls().run(job))
    try:
        class Again(Plugin):
            name = "resize"
        dup = None
    except PluginError as e:
        dup = str(e)
    return {"out": out, "order": Plugin.order, "dup": dup}
