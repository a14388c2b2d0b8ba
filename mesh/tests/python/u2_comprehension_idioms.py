# event: {"matrix": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "words": ["apple", "Banana", "cherry", "avocado", "blueberry"]}
# arena-kib: 256


def handler(event, context):
    m = event["matrix"]
    words = event["words"]
    by_letter = {}
    for w in words:
        by_letter.setdefault(w[0].lower(), []).append(w)
    return {
        "transpose": [list(r) for r in zip(*m)],
        "flat": [x for row in m for x in row if x % 2],
        "diag": [m[i][i] for i in range(len(m))],
        "inverted": {v: k for k, v in {"a": 1, "b": 2}.items()},
        "lens": {w: len(w) for w in words if len(w) > 5},
        "letters": sorted({c for w in words for c in w.lower() if c in "aeiou"}),
        "by_letter": by_letter,
        "nested": [[i * j for j in range(1, 4)] for i in range(1, 3)],
        "cond": ["even" if x % 2 == 0 else "odd" for x in range(4)],
        "merged": {**{"a": 1, "b": 2}, **{"b": 3}, "c": 4},
        "union": {"a": 1} | {"b": 2},
        "unpack": [*range(3), *"ab"],
        "first, *rest": (lambda first, *rest: [first, rest])(*words),
        "star": (lambda a, *b, c=0: [a, b, c])(*[1, 2, 3, 4], c=5),
        "enum": [f"{i}:{w}" for i, w in enumerate(words, 1) if i % 2],
        "dict_zip": dict(zip(["x", "y"], [1, 2])),
        "set_ops": sorted({1, 2, 3} ^ {2, 3, 4}),
        "any_all": [any(x > 8 for row in m for x in row), all(len(w) > 4 for w in words)],
        "sum_gen": sum(x * x for row in m for x in row),
        "max_key": max(words, key=len),
        "sorted_lower": sorted(words, key=str.lower),
        "chunks": [words[i:i + 2] for i in range(0, len(words), 2)],
        "step": m[0][::-1] + m[2][::2],
    }
