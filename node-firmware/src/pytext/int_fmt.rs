//! Integer digit helpers: magnitudes in any base 2..=36 and Python's
//! `hex()` / `oct()` / `bin()` text (`-0x1f`), without allocation beyond `out`.

use super::alloc::string::String;

/// The digits of `value` in `base` (2..=36; other bases are clamped),
/// lower- or upper-case, no sign or prefix, written at the end of `buf`.
pub fn magnitude_digits(value: u64, base: u32, upper: bool, buf: &mut [u8; 64]) -> &str {
    let base = u64::from(base.clamp(2, 36));
    let mut pos = buf.len();
    let mut v = value;
    loop {
        let d = (v % base) as u8;
        let c = if d < 10 {
            b'0' + d
        } else if upper {
            b'A' + d - 10
        } else {
            b'a' + d - 10
        };
        pos -= 1;
        if let Some(slot) = buf.get_mut(pos) {
            *slot = c;
        }
        v /= base;
        if v == 0 || pos == 0 {
            break;
        }
    }
    // Only ASCII digits and letters were written.
    buf.get(pos..)
        .and_then(|b| core::str::from_utf8(b).ok())
        .unwrap_or("")
}

/// Append the digits of `value` in `base` (see [`magnitude_digits`]).
pub fn write_magnitude(value: u64, base: u32, upper: bool, out: &mut String) {
    let mut buf = [0u8; 64];
    out.push_str(magnitude_digits(value, base, upper, &mut buf));
}

/// Append `str(value)` (decimal with `-` for negatives).
pub fn write_decimal(value: i64, out: &mut String) {
    if value < 0 {
        out.push('-');
    }
    write_magnitude(value.unsigned_abs(), 10, false, out);
}

fn write_prefixed(value: i64, base: u32, prefix: &str, out: &mut String) {
    if value < 0 {
        out.push('-');
    }
    out.push_str(prefix);
    write_magnitude(value.unsigned_abs(), base, false, out);
}

/// Append Python's `hex(value)`, e.g. `-0x1f`.
pub fn write_hex(value: i64, out: &mut String) {
    write_prefixed(value, 16, "0x", out);
}

/// Append Python's `oct(value)`, e.g. `0o17`.
pub fn write_oct(value: i64, out: &mut String) {
    write_prefixed(value, 8, "0o", out);
}

/// Append Python's `bin(value)`, e.g. `-0b101`.
pub fn write_bin(value: i64, out: &mut String) {
    write_prefixed(value, 2, "0b", out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(i64, &mut String), v: i64) -> String {
        let mut s = String::new();
        f(v, &mut s);
        s
    }

    #[test]
    fn matches_python_builtins() {
        assert_eq!(run(write_hex, -31), "-0x1f");
        assert_eq!(run(write_hex, 0), "0x0");
        assert_eq!(run(write_oct, 15), "0o17");
        assert_eq!(run(write_bin, -5), "-0b101");
        assert_eq!(run(write_decimal, i64::MIN), "-9223372036854775808");
        assert_eq!(run(write_hex, i64::MIN), "-0x8000000000000000");
        assert_eq!(
            run(write_bin, i64::MAX),
            "0b111111111111111111111111111111111111111111111111111111111111111"
        );
        let mut s = String::new();
        write_magnitude(35 * 36 + 10, 36, true, &mut s);
        assert_eq!(s, "ZA");
    }
}
