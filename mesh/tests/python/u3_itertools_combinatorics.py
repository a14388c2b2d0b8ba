# event: {"sizes": ["S", "M", "L"], "colors": ["red", "blue"], "nums": [1, 2, 3, 4]}
# arena-kib: 128
from itertools import combinations, combinations_with_replacement, permutations, product


def handler(event, context):
    sizes, colors, nums = event["sizes"], event["colors"], event["nums"]
    skus = ["-".join(p) for p in product(sizes, colors)]
    return {
        "skus": skus,
        "product_repeat": ["".join(p) for p in product("01", repeat=3)],
        "permutations": [list(p) for p in permutations(nums[:3])],
        "perm_r": ["".join(p) for p in permutations("abc", 2)],
        "combinations": [list(c) for c in combinations(nums, 2)],
        "combos_sum5": [c for c in combinations(nums, 2) if sum(c) == 5],
        "cwr": ["".join(c) for c in combinations_with_replacement("ab", 2)],
        "counts": [len(list(permutations(range(5), 3))), len(list(combinations(range(6), 3))), len(list(product(range(3), range(4))))],
        "empty": [list(combinations([1, 2], 3)), list(permutations([], 0)), list(product())],
    }
