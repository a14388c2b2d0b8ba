# event: {}
# str.translate with str.maketrans tables (mapping, deletion, strings),
# str.isidentifier.
def handler(event, context):
    t = str.maketrans("abc", "xyz", "d")
    t2 = str.maketrans({"a": "AA", "b": None, 99: "C"})
    return ["abcdd".translate(t), "abcabc".translate(t2), "hello".translate({ord("l"): None}), sorted(t.items()),
            ["x1".isidentifier(), "1x".isidentifier(), "_".isidentifier(), "".isidentifier(), "a-b".isidentifier()],
            "a,b;c".translate(str.maketrans(",;", "  ")).split()]
