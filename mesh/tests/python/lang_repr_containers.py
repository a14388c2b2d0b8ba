# event: null
def handler(event, context):
    return [
        repr("it's"), repr('say "hi"'), repr("both ' and \""), repr("tab\tnew\n"), repr([1, "a", None, True, 2.0]),
        repr({"k": [1, 2], 3: (4,)}), repr((1,)), repr(()), repr(set()), repr({5}), repr(b"a'b"), str({"a": "b"}),
        repr(range(1, 5)), repr("\u00e9\u65e5"), repr(-0.5), repr([[]]),
    ]
