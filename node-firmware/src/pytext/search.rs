//! Substring search for `str` and `bytes` methods (`find`, `rfind`,
//! `count`, `split`, `rsplit`, `replace`, `in`).
//!
//! Builds with feature `fast` (every host build) use core's Two-Way
//! searcher; builds without it use a plain scan, which is about 1.5 KiB
//! smaller on thumbv7m and quick for the short needles functions use. Both
//! give the same answers: matches are the leftmost (or, for the `r` forms,
//! rightmost) non-overlapping ones, and an empty needle matches at every
//! character boundary, as in CPython. A UTF-8 needle found byte-wise in
//! UTF-8 text always starts and ends on character boundaries, so the byte
//! scan is exact for `str` too.

use alloc::string::String;
use alloc::vec::Vec;

/// Byte offset of the first occurrence of `needle` in `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    #[cfg(feature = "fast")]
    {
        hay.find(needle)
    }
    #[cfg(not(feature = "fast"))]
    {
        find_bytes(hay.as_bytes(), needle.as_bytes())
    }
}

/// Byte offset of the last occurrence of `needle` in `hay`.
pub fn rfind(hay: &str, needle: &str) -> Option<usize> {
    #[cfg(feature = "fast")]
    {
        hay.rfind(needle)
    }
    #[cfg(not(feature = "fast"))]
    {
        rfind_bytes(hay.as_bytes(), needle.as_bytes())
    }
}

/// Does `hay` contain `needle`?
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// First occurrence of `needle` in `hay` by a plain scan.
pub fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let last = hay.len().checked_sub(needle.len())?;
    (0..=last).find(|&i| hay.get(i..i + needle.len()) == Some(needle))
}

/// Last occurrence of `needle` in `hay` by a plain scan.
pub fn rfind_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let last = hay.len().checked_sub(needle.len())?;
    (0..=last)
        .rev()
        .find(|&i| hay.get(i..i + needle.len()) == Some(needle))
}

/// Number of non-overlapping occurrences of a non-empty `needle`.
pub fn count(hay: &str, needle: &str) -> usize {
    #[cfg(feature = "fast")]
    {
        hay.matches(needle).count()
    }
    #[cfg(not(feature = "fast"))]
    {
        count_bytes(hay.as_bytes(), needle.as_bytes())
    }
}

/// [`count`] over bytes, by a plain scan (`needle` non-empty).
pub fn count_bytes(hay: &[u8], needle: &[u8]) -> usize {
    let mut n = 0;
    let mut rest = hay;
    while let Some(i) = find_bytes(rest, needle) {
        n += 1;
        rest = rest.get(i + needle.len().max(1)..).unwrap_or(&[]);
    }
    n
}

/// `hay` cut at the non-overlapping occurrences of a non-empty `sep`,
/// leftmost first (or, when `from_right`, rightmost first: `rsplit`), at
/// most `maxsplit` times when it is not negative. The parts come back in
/// text order.
pub fn split<'s>(hay: &'s str, sep: &str, maxsplit: i64, from_right: bool) -> Vec<&'s str> {
    #[cfg(feature = "fast")]
    {
        if maxsplit < 0 {
            hay.split(sep).collect()
        } else if !from_right {
            hay.splitn(maxsplit as usize + 1, sep).collect()
        } else {
            let mut v: Vec<&str> = hay.rsplitn(maxsplit as usize + 1, sep).collect();
            v.reverse();
            v
        }
    }
    #[cfg(not(feature = "fast"))]
    {
        split_scan(hay, sep, maxsplit, from_right)
    }
}

/// [`split`] by a plain scan.
pub fn split_scan<'s>(hay: &'s str, sep: &str, maxsplit: i64, from_right: bool) -> Vec<&'s str> {
    let mut out = Vec::new();
    let mut rest = hay;
    while maxsplit < 0 || (out.len() as i64) < maxsplit {
        let found = if from_right {
            rfind_bytes(rest.as_bytes(), sep.as_bytes())
        } else {
            find_bytes(rest.as_bytes(), sep.as_bytes())
        };
        let Some(i) = found else { break };
        let (head, tail) = (rest.get(..i), rest.get(i + sep.len()..));
        let (Some(head), Some(tail)) = (head, tail) else {
            break;
        };
        if from_right {
            out.push(tail);
            rest = head;
        } else {
            out.push(head);
            rest = tail;
        }
    }
    out.push(rest);
    if from_right {
        out.reverse();
    }
    out
}

/// `hay` with the first `count` (all when negative) non-overlapping
/// occurrences of `old` replaced by `new`; an empty `old` matches before
/// every character and at the end.
pub fn replace(hay: &str, old: &str, new: &str, count: i64) -> String {
    #[cfg(feature = "fast")]
    {
        if count < 0 {
            hay.replace(old, new)
        } else {
            hay.replacen(old, new, count as usize)
        }
    }
    #[cfg(not(feature = "fast"))]
    {
        replace_scan(hay, old, new, count)
    }
}

/// [`replace`] by a plain scan.
pub fn replace_scan(hay: &str, old: &str, new: &str, count: i64) -> String {
    let mut out = String::with_capacity(hay.len());
    let mut rest = hay;
    let mut done = 0i64;
    while count < 0 || done < count {
        let at = if old.is_empty() {
            // Before the next character, or at the very end once.
            if done > 0 {
                match rest.chars().next() {
                    Some(c) => {
                        out.push(c);
                        rest = rest.get(c.len_utf8()..).unwrap_or("");
                    }
                    None => break,
                }
            }
            0
        } else {
            match find_bytes(rest.as_bytes(), old.as_bytes()) {
                Some(i) => i,
                None => break,
            }
        };
        out.push_str(rest.get(..at).unwrap_or(""));
        out.push_str(new);
        rest = rest.get(at + old.len()..).unwrap_or("");
        done += 1;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of short strings over a small alphabet (with a two-byte
    /// and a three-byte character): the scans agree with core.
    #[test]
    fn scans_match_core() {
        let alphabet = ["a", "b", "é", "€"];
        let mut words = alloc::vec![String::new()];
        for len in 1..=4 {
            let mut k = 0usize;
            while k < alphabet.len().pow(len) {
                let mut w = String::new();
                let mut x = k;
                for _ in 0..len {
                    w.push_str(alphabet[x % alphabet.len()]);
                    x /= alphabet.len();
                }
                words.push(w);
                k += 1;
            }
        }
        let needles: Vec<&String> = words.iter().filter(|w| w.chars().count() <= 2).collect();
        let mut checked = 0;
        for hay in &words {
            for needle in &needles {
                let (h, n) = (hay.as_str(), needle.as_str());
                assert_eq!(
                    find_bytes(h.as_bytes(), n.as_bytes()),
                    h.find(n),
                    "{h:?} {n:?}"
                );
                assert_eq!(
                    rfind_bytes(h.as_bytes(), n.as_bytes()),
                    h.rfind(n),
                    "{h:?} {n:?}"
                );
                for count in [-1i64, 0, 1, 2] {
                    let want = if count < 0 {
                        h.replace(n, "<>")
                    } else {
                        h.replacen(n, "<>", count as usize)
                    };
                    assert_eq!(replace_scan(h, n, "<>", count), want, "{h:?} {n:?} {count}");
                }
                if n.is_empty() {
                    continue;
                }
                assert_eq!(
                    count_bytes(h.as_bytes(), n.as_bytes()),
                    h.matches(n).count()
                );
                for maxsplit in [-1i64, 0, 1, 2] {
                    let want: Vec<&str> = if maxsplit < 0 {
                        h.split(n).collect()
                    } else {
                        h.splitn(maxsplit as usize + 1, n).collect()
                    };
                    assert_eq!(split_scan(h, n, maxsplit, false), want, "{h:?} {n:?}");
                    let mut want: Vec<&str> = if maxsplit < 0 {
                        h.rsplit(n).collect()
                    } else {
                        h.rsplitn(maxsplit as usize + 1, n).collect()
                    };
                    want.reverse();
                    assert_eq!(split_scan(h, n, maxsplit, true), want, "{h:?} {n:?}");
                }
                checked += 1;
            }
        }
        assert!(checked > 5_000, "{checked}");
    }

    #[test]
    fn python_examples() {
        assert_eq!(split_scan("aaa", "aa", 1, true), ["a", ""]);
        assert_eq!(split_scan("aaa", "aa", -1, false), ["", "a"]);
        assert_eq!(replace_scan("abc", "", "-", -1), "-a-b-c-");
        assert_eq!(replace_scan("abc", "", "-", 2), "-a-bc");
        assert_eq!(replace_scan("", "", "-", -1), "-");
        assert_eq!(count_bytes(b"aaaa", b"aa"), 2);
        assert_eq!(find_bytes(b"ab", b"abc"), None);
        assert_eq!(rfind_bytes(b"abab", b""), Some(4));
    }
}
