# event: null
def handler(event, context):
    return {
        "split_none_max": "a b  c   d".split(None, 2),
        "split_sep_max": "a,b,c,d".split(",", 1),
        "rsplit_sep_max": "a,b,c,d".rsplit(",", 2),
        "empty_sep_count": "abc".count(""),
        "find_start": "abcabc".find("b", 2),
        "find_empty": "abc".find(""),
        "replace_empty": "ab".replace("", "-"),
        "join_empty": "".join([]),
        "join_one": ",".join(["x"]),
        "strip_all": "xxx".strip("x"),
        "startswith_empty": "abc".startswith(""),
        "title_digits": "3rd floor, 2nd room".title(),
        "upper_unicode": "caf\u00e9".upper(),
        "lower_unicode": "\u00c9COLE".lower(),
        "in": ["" in "abc", "bc" in "abc", "cb" in "abc"],
        "mul": ["ab" * 3, "ab" * 0, "x" * -1],
    }
