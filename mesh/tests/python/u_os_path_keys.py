# event: {"keys": ["uploads/2026/report.final.csv", "images/cat.JPG", "README", "a/b/../c/./d.txt", "/abs/path/"]}
import os.path
import posixpath


def handler(event, context):
    out = []
    for key in event["keys"]:
        root, ext = os.path.splitext(key)
        out.append({
            "base": os.path.basename(key),
            "dir": os.path.dirname(key),
            "root": root,
            "ext": ext.lower(),
            "norm": posixpath.normpath(key),
            "split": list(os.path.split(key)),
        })
    return {
        "out": out,
        "join": os.path.join("a", "b", "/c", "d"),
        "isabs": [os.path.isabs("/x"), os.path.isabs("x")],
        "sep": os.sep,
    }
