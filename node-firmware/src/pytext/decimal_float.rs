//! Exact decimal arithmetic for floats: decimal text to the nearest `f64`
//! (ties to even), as `float(str)` and `json.loads` need it, and `f64` to
//! correctly rounded or shortest decimal digits, for `repr` and formatting.
//!
//! `core`'s `str::parse::<f64>` is correct but brings 12 KiB of Eisel-Lemire
//! and power-of-five tables, a tenth of a 128 KiB sensor image. This parser
//! takes Clinger's exact fast path when the digits fit in 53 bits and the
//! power of ten in 22 (one correctly rounded multiply or divide), and
//! otherwise the exact "simple decimal conversion" of Go's `strconv` and
//! Wuffs: the decimal digits are shifted by powers of two until the value
//! lies in [1/2, 1), then 53 bits are read off and rounded. Beyond 800
//! significant digits only whether the rest is non-zero matters (a `f64`
//! halfway point has at most 767 significant digits).
//!
//! The same exact decimal also runs the other way for `repr` and every float
//! formatter ([`FloatDigits`]): a `f64` is turned into its exact decimal
//! expansion (at most 767 significant digits), then rounded half-even to a
//! digit count, or to the shortest digits that read back as the same `f64`
//! (Steele & White / dtoa mode 0, as in Go's `strconv.roundShortest`),
//! replacing `core::fmt`'s Grisu and Dragon code (about 10 KiB on thumbv7m).
//!
//! Grammar (validated by the callers, re-checked here):
//! `[+-]? digits? (. digits?)? ([eE] [+-]? digits)?` with at least one digit.

/// Significant digits kept; the rest only sets [`Decimal::truncated`].
const MAX_DIGITS: usize = 800;
/// Most digits a left shift by up to [`MAX_SHIFT`] bits adds.
const SHIFT_ROOM: usize = 19;
/// Largest shift per step, so that `digit << shift` plus carry fits in a `u64`.
const MAX_SHIFT: u32 = 60;

/// An exact decimal `0.d1d2d3... * 10^point`, digits stored as 0..=9.
struct Decimal {
    digits: [u8; MAX_DIGITS + SHIFT_ROOM],
    len: usize,
    point: i32,
    negative: bool,
    truncated: bool,
}

impl Decimal {
    fn digit(&self, i: usize) -> u8 {
        self.digits.get(i).copied().unwrap_or(0)
    }

    /// Drop trailing zero digits.
    fn trim(&mut self) {
        while self.len > 0 && self.digit(self.len - 1) == 0 {
            self.len -= 1;
        }
        if self.len == 0 {
            self.point = 0;
        }
    }

    /// Multiply by `2^shift` (`shift <= MAX_SHIFT`), writing the new digits
    /// right to left above the old ones, then moving them to the front.
    fn shift_left(&mut self, shift: u32) {
        let mut read = self.len;
        let mut write = self.len + SHIFT_ROOM;
        let mut n: u64 = 0;
        let put = |d: &mut Self, write: &mut usize, digit: u64| {
            *write -= 1;
            if let Some(slot) = d.digits.get_mut(*write) {
                *slot = digit as u8;
            }
        };
        while read > 0 {
            read -= 1;
            n += u64::from(self.digit(read)) << shift;
            let q = n / 10;
            put(self, &mut write, n - 10 * q);
            n = q;
        }
        while n > 0 {
            let q = n / 10;
            put(self, &mut write, n - 10 * q);
            n = q;
        }
        let len = self.len + SHIFT_ROOM - write;
        self.point += (len - self.len) as i32;
        self.digits.copy_within(write..write + len, 0);
        if len > MAX_DIGITS {
            if self
                .digits
                .get(MAX_DIGITS..len)
                .is_some_and(|rest| rest.iter().any(|&d| d != 0))
            {
                self.truncated = true;
            }
            self.len = MAX_DIGITS;
        } else {
            self.len = len;
        }
        self.trim();
    }

    /// Divide by `2^shift` (`shift <= MAX_SHIFT`).
    fn shift_right(&mut self, shift: u32) {
        let mut read = 0;
        let mut write = 0;
        let mut n: u64 = 0;
        // Read enough leading digits to produce the first output digit.
        while n >> shift == 0 {
            if read < self.len {
                n = n * 10 + u64::from(self.digit(read));
                read += 1;
            } else if n == 0 {
                self.len = 0;
                self.point = 0;
                return;
            } else {
                while n >> shift == 0 {
                    n *= 10;
                    read += 1;
                }
                break;
            }
        }
        self.point -= read as i32 - 1;
        let mask = (1u64 << shift) - 1;
        while read < self.len {
            let digit = n >> shift;
            n &= mask;
            if let Some(slot) = self.digits.get_mut(write) {
                *slot = digit as u8;
            }
            write += 1;
            n = n * 10 + u64::from(self.digit(read));
            read += 1;
        }
        while n > 0 {
            let digit = n >> shift;
            n &= mask;
            if write < MAX_DIGITS {
                if let Some(slot) = self.digits.get_mut(write) {
                    *slot = digit as u8;
                }
                write += 1;
            } else if digit > 0 {
                self.truncated = true;
            }
            n *= 10;
        }
        self.len = write;
        self.trim();
    }

    /// Multiply by `2^by` (divide when negative).
    fn shift(&mut self, by: i32) {
        let mut left = by;
        while left > 0 {
            let s = left.min(MAX_SHIFT as i32);
            self.shift_left(s as u32);
            left -= s;
        }
        while left < 0 {
            let s = (-left).min(MAX_SHIFT as i32);
            self.shift_right(s as u32);
            left += s;
        }
    }

    /// The integer part, rounded half to even on the fraction (`point <= 20`).
    fn rounded_integer(&self) -> u64 {
        if self.point < 0 {
            // Below 0.1: rounds to zero.
            return 0;
        }
        let point = self.point as usize;
        let mut n: u64 = 0;
        for i in 0..point {
            n = n.wrapping_mul(10).wrapping_add(u64::from(self.digit(i)));
        }
        let round_up = if point >= self.len {
            false
        } else if self.digit(point) == 5 && point + 1 == self.len {
            // Exactly halfway unless digits were dropped.
            self.truncated || (point > 0 && self.digit(point - 1) % 2 == 1)
        } else {
            self.digit(point) >= 5
        };
        n + u64::from(round_up)
    }

    /// The nearest `f64` (IEEE binary64 bit layout assembled by hand).
    fn into_f64(mut self) -> f64 {
        const BIAS: i32 = -1023;
        const MANT_BITS: u32 = 52;
        // Binary exponents that move `point` by at least the table's step.
        const POWERS: [u8; 9] = [1, 3, 6, 9, 13, 16, 19, 23, 26];
        let sign = if self.negative { 1u64 << 63 } else { 0 };
        let infinity = f64::from_bits(sign | 0x7ff0_0000_0000_0000);
        if self.len == 0 || self.point < -330 {
            return f64::from_bits(sign);
        }
        if self.point > 310 {
            return infinity;
        }
        let step = |p: i32| POWERS.get(p as usize).map_or(27, |&n| i32::from(n));
        let mut exp: i32 = 0;
        while self.point > 0 {
            let n = step(self.point);
            self.shift(-n);
            exp += n;
        }
        while self.point < 0 || (self.point == 0 && self.digit(0) < 5) {
            let n = step(-self.point);
            self.shift(n);
            exp -= n;
        }
        // [1/2, 1) to the binary64 range [1, 2).
        exp -= 1;
        if exp < BIAS + 1 {
            let n = BIAS + 1 - exp;
            self.shift(-n);
            exp += n;
        }
        if exp - BIAS >= 0x7ff {
            return infinity;
        }
        self.shift(1 + MANT_BITS as i32);
        let mut mant = self.rounded_integer();
        if mant == 2 << MANT_BITS {
            mant >>= 1;
            exp += 1;
            if exp - BIAS >= 0x7ff {
                return infinity;
            }
        }
        if mant & (1 << MANT_BITS) == 0 {
            // Subnormal.
            exp = BIAS;
        }
        let bits = (mant & ((1 << MANT_BITS) - 1)) | (((exp - BIAS) as u64 & 0x7ff) << MANT_BITS);
        f64::from_bits(sign | bits)
    }
}

impl Decimal {
    fn zero() -> Self {
        Decimal {
            digits: [0; MAX_DIGITS + SHIFT_ROOM],
            len: 0,
            point: 0,
            negative: false,
            truncated: false,
        }
    }

    /// The exact value `mant * 2^exp2`.
    fn exact(mant: u64, exp2: i32) -> Self {
        let mut d = Decimal::zero();
        let mut buf = [0u8; 20];
        let mut n = mant;
        let mut i = buf.len();
        while n > 0 && i > 0 {
            i -= 1;
            if let Some(slot) = buf.get_mut(i) {
                *slot = (n % 10) as u8;
            }
            n /= 10;
        }
        let used = buf.get(i..).unwrap_or(&[]);
        if let Some(dst) = d.digits.get_mut(..used.len()) {
            dst.copy_from_slice(used);
        }
        d.len = used.len();
        d.point = used.len() as i32;
        d.trim();
        d.shift(exp2);
        d
    }

    /// Whether rounding to `keep` digits goes up (half to even; the
    /// value is exact, so a 5 that is the last digit is a true tie).
    fn should_round_up(&self, keep: usize) -> bool {
        if keep >= self.len {
            return false;
        }
        if self.digit(keep) == 5 && keep + 1 == self.len {
            return self.truncated || (keep > 0 && self.digit(keep - 1) % 2 == 1);
        }
        self.digit(keep) >= 5
    }

    fn round_down(&mut self, keep: usize) {
        if keep < self.len {
            self.len = keep;
            self.trim();
        }
    }

    fn round_up(&mut self, keep: usize) {
        if keep >= self.len {
            return;
        }
        for i in (0..keep).rev() {
            if let Some(d) = self.digits.get_mut(i)
                && *d < 9
            {
                *d += 1;
                self.len = i + 1;
                return;
            }
        }
        // All nines (or nothing kept): 1 in the next decimal place up.
        if let Some(d) = self.digits.get_mut(0) {
            *d = 1;
        }
        self.len = 1;
        self.point += 1;
    }

    fn round(&mut self, keep: usize) {
        if self.should_round_up(keep) {
            self.round_up(keep);
        } else {
            self.round_down(keep);
        }
    }

    /// Round the exact value of the `f64` `mant * 2^(exp - 52)` to the
    /// shortest digits inside its rounding interval, the closest of them
    /// when several qualify (Go's `strconv.roundShortest`).
    fn round_shortest(&mut self, mant: u64, exp: i32) {
        const MIN_EXP: i32 = -1022;
        let upper = Decimal::exact(2 * mant + 1, exp - 53);
        let (mant_lo, exp_lo) = if mant > 1 << 52 || exp == MIN_EXP {
            (mant - 1, exp)
        } else {
            (2 * mant - 1, exp - 1)
        };
        let lower = Decimal::exact(2 * mant_lo + 1, exp_lo - 53);
        // The bounds themselves read back as `x` only for an even mantissa.
        let inclusive = mant.is_multiple_of(2);
        // 0: same digits as upper so far; 1: upper is one more, then only
        // 9s (ours) over 0s (upper); 2: rounding up stays below upper.
        let mut upper_delta = 0u8;
        let mut ui: i64 = 0;
        loop {
            let mi = ui - i64::from(upper.point) + i64::from(self.point);
            if mi >= self.len as i64 {
                break;
            }
            let li = ui - i64::from(upper.point) + i64::from(lower.point);
            let l = if li >= 0 && li < lower.len as i64 {
                lower.digit(li as usize)
            } else {
                0
            };
            let m = if mi >= 0 { self.digit(mi as usize) } else { 0 };
            let u = if ui < upper.len as i64 {
                upper.digit(ui as usize)
            } else {
                0
            };
            let ok_down = l != m || (inclusive && li + 1 == lower.len as i64);
            if upper_delta == 0 && m + 1 < u {
                upper_delta = 2;
            } else if upper_delta == 0 && m != u {
                upper_delta = 1;
            } else if upper_delta == 1 && (m != 9 || u != 0) {
                upper_delta = 2;
            }
            let ok_up =
                upper_delta > 0 && (inclusive || upper_delta > 1 || ui + 1 < upper.len as i64);
            let keep = (mi + 1).max(0) as usize;
            match (ok_down, ok_up) {
                (true, true) => return self.round(keep),
                (true, false) => return self.round_down(keep),
                (false, true) => return self.round_up(keep),
                (false, false) => {}
            }
            ui += 1;
        }
    }
}

/// Which digits of a float to produce (CPython's dtoa modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigitMode {
    /// Mode 0: the shortest digits that read back as the same `f64`.
    Shortest,
    /// Mode 2: this many significant digits (at least 1), half-even.
    Significant(usize),
    /// Mode 3: this many digits after the decimal point, half-even.
    Fraction(usize),
}

/// The decimal digits of a finite `f64`'s magnitude: the value is
/// `0.d1d2d3... * 10^decpt`, without leading or trailing zeros; zero is
/// the single digit `0` with `decpt` 1 (dtoa's convention).
pub struct FloatDigits {
    decimal: Decimal,
}

impl FloatDigits {
    /// Digits of `|x|` (`x` finite) in `mode`.
    pub fn new(x: f64, mode: DigitMode) -> Self {
        let bits = x.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1u64 << 52) - 1);
        let (mant, exp) = if biased == 0 {
            (fraction, -1022)
        } else {
            (fraction | (1u64 << 52), biased - 1023)
        };
        let mut decimal = Decimal::exact(mant, exp - 52);
        if decimal.len > 0 {
            match mode {
                DigitMode::Shortest => decimal.round_shortest(mant, exp),
                DigitMode::Significant(n) => decimal.round(n.max(1)),
                DigitMode::Fraction(n) => {
                    let keep = i64::from(decimal.point).saturating_add(n.min(4096) as i64);
                    if keep < 0 {
                        decimal.len = 0;
                    } else {
                        decimal.round(keep as usize);
                    }
                }
            }
        }
        if decimal.len == 0 {
            decimal.len = 1;
            decimal.point = 1;
            if let Some(d) = decimal.digits.get_mut(0) {
                *d = 0;
            }
        }
        for d in decimal.digits.iter_mut().take(decimal.len) {
            *d += b'0';
        }
        FloatDigits { decimal }
    }

    /// The digits, as ASCII.
    pub fn digits(&self) -> &[u8] {
        self.decimal.digits.get(..self.decimal.len).unwrap_or(&[])
    }

    /// Position of the decimal point relative to the first digit.
    pub fn decpt(&self) -> isize {
        self.decimal.point as isize
    }
}

/// Exact powers of ten for Clinger's fast path.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parse decimal text (see the module grammar) to the nearest `f64`;
/// `None` when the text does not follow the grammar.
///
/// With `std` (every host build) the text goes to `core`'s parser, whose
/// Eisel-Lemire path is about 20 times faster on 17-digit inputs than the
/// exact decimal shifting used on microcontrollers; both round correctly,
/// so they agree on every input (the tests compare them).
pub fn parse_decimal(text: &str) -> Option<f64> {
    if cfg!(feature = "std") {
        if !grammar_ok(text) {
            return None;
        }
        return text.parse::<f64>().ok();
    }
    parse_exact(text)
}

/// Whether `text` follows the module grammar (core's parser also accepts
/// `inf`, `nan` and `infinity`, which callers handle themselves).
fn grammar_ok(text: &str) -> bool {
    let b = text.as_bytes();
    let mut pos = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let mut digits = 0;
    let mut dot = false;
    while let Some(&c) = b.get(pos) {
        match c {
            b'0'..=b'9' => digits += 1,
            b'.' if !dot => dot = true,
            _ => break,
        }
        pos += 1;
    }
    if digits == 0 {
        return false;
    }
    if matches!(b.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        if matches!(b.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        let start = pos;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        if pos == start {
            return false;
        }
    }
    pos == b.len()
}

/// [`parse_decimal`] by exact decimal shifting, without `core`'s tables.
fn parse_exact(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut d = Decimal::zero();
    let mut pos = 0;
    if let Some(&c @ (b'+' | b'-')) = b.first() {
        d.negative = c == b'-';
        pos = 1;
    }
    let mut seen_digit = false;
    let mut seen_dot = false;
    // Significant digits before the dot, including dropped ones.
    let mut int_digits: i64 = 0;
    // Zeros between the dot and the first significant digit.
    let mut leading_frac_zeros: i64 = 0;
    while let Some(&c) = b.get(pos) {
        match c {
            b'0'..=b'9' => {
                seen_digit = true;
                if c == b'0' && d.len == 0 && !d.truncated {
                    if seen_dot {
                        leading_frac_zeros += 1;
                    }
                } else {
                    if d.len < MAX_DIGITS {
                        if let Some(slot) = d.digits.get_mut(d.len) {
                            *slot = c - b'0';
                        }
                        d.len += 1;
                    } else if c != b'0' {
                        d.truncated = true;
                    }
                    if !seen_dot {
                        int_digits += 1;
                    }
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => break,
        }
        pos += 1;
    }
    if !seen_digit {
        return None;
    }
    let mut exp10: i64 = 0;
    if matches!(b.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        let negative_exp = b.get(pos) == Some(&b'-');
        if matches!(b.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        let start = pos;
        while let Some(&c @ b'0'..=b'9') = b.get(pos) {
            if exp10 < 1_000_000 {
                exp10 = exp10 * 10 + i64::from(c - b'0');
            }
            pos += 1;
        }
        if pos == start {
            return None;
        }
        if negative_exp {
            exp10 = -exp10;
        }
    }
    if pos != b.len() {
        return None;
    }
    // Trailing zeros of the digits carry no information.
    let stored_int_digits = int_digits;
    d.trim();
    let point = if d.len == 0 {
        0
    } else {
        let p = if stored_int_digits > 0 {
            stored_int_digits
        } else {
            -leading_frac_zeros
        };
        (p + exp10).clamp(-100_000, 100_000)
    };
    d.point = point as i32;
    if d.len == 0 {
        return Some(if d.negative { -0.0 } else { 0.0 });
    }
    // Clinger's fast path: value = mantissa * 10^(point - len), exact inputs.
    if d.len <= 15 && !d.truncated {
        let mut m: u64 = 0;
        for i in 0..d.len {
            m = m * 10 + u64::from(d.digit(i));
        }
        let e = i64::from(d.point) - d.len as i64;
        if let Some(&p) = POW10.get(e.unsigned_abs() as usize) {
            let x = m as f64;
            let v = if e >= 0 { x * p } else { x / p };
            return Some(if d.negative { -v } else { v });
        }
    }
    Some(d.into_f64())
}

#[cfg(test)]
mod tests {
    use super::{grammar_ok, parse_exact};

    fn parse_decimal(text: &str) -> Option<f64> {
        let exact = parse_exact(text);
        assert_eq!(exact.is_some(), grammar_ok(text), "{text:?}");
        exact
    }
    use alloc::string::String;

    fn same(text: &str) {
        let want: f64 = text.parse().unwrap_or(f64::NAN);
        let got = parse_decimal(text);
        assert!(
            got.is_some_and(|g| g.to_bits() == want.to_bits()),
            "{text}: got {got:?}, core says {want:?}"
        );
    }

    #[test]
    fn matches_core_on_edge_cases() {
        for t in [
            "0",
            "-0",
            "0.0",
            "-0.0",
            "1",
            "1.5",
            ".5",
            "5.",
            "0.1",
            "0.30000000000000004",
            "123456789012345678901234567890",
            "1e22",
            "1e23",
            "9007199254740993",
            "9007199254740992.5",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "1e309",
            "2.2250738585072014e-308",
            "2.2250738585072011e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1e-400",
            "000123.4500e+2",
            "0.000000000000000000000000000000000000000000001",
            "3.14159265358979323846264338",
            "1E5",
            "1e-5",
            "-1.5e-10",
            "8.98846567431158e307",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "1e100000000",
            "1e-100000000",
        ] {
            same(t);
        }
        // More than 800 significant digits: only the tail's non-zeroness counts.
        let mut long = String::from("1.00000000000000011102230246251565404236316680908203125");
        long.extend(core::iter::repeat_n('0', 900));
        same(&long);
        long.push('1');
        same(&long);
        let mut big = String::from("9");
        big.extend(core::iter::repeat_n('9', 1000));
        same(&big);
    }

    #[test]
    fn rejects_bad_grammar() {
        for t in ["", "-", ".", "e5", "1e", "1e+", "1.2.3", "1x", "--1", " 1"] {
            assert_eq!(parse_decimal(t), None, "{t:?}");
        }
    }

    #[test]
    fn matches_core_on_random_inputs() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            // Random binary64 values printed with random precision, and
            // random digit strings with random exponents.
            let mut t = String::new();
            let r = next();
            if r % 2 == 0 {
                let x = f64::from_bits(next() & 0x7fef_ffff_ffff_ffff);
                let prec = ((r >> 8) % 25) as usize;
                let _ = core::fmt::Write::write_fmt(&mut t, format_args!("{x:.prec$e}"));
            } else {
                let n = 1 + (r >> 8) % 40;
                for k in 0..n {
                    t.push(char::from(b'0' + (next() % 10) as u8));
                    if k == (r >> 16) % n {
                        t.push('.');
                    }
                }
                let e = (next() % 700) as i64 - 350;
                let _ = core::fmt::Write::write_fmt(&mut t, format_args!("e{e}"));
            }
            same(&t);
        }
    }
    /// core's text `d.ddde-5` or `ddd.ddd` as dtoa digits and decpt.
    fn core_digits(text: &str) -> (String, isize) {
        let (mantissa, exp) = match text.split_once('e') {
            Some((m, e)) => (m, e.parse::<isize>().unwrap_or(0)),
            None => (text, 0),
        };
        let int_len = mantissa.find('.').unwrap_or(mantissa.len()) as isize;
        let all: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let lead = all.len() - all.trim_start_matches('0').len();
        let digits = all.trim_start_matches('0').trim_end_matches('0');
        if digits.is_empty() {
            return (String::from("0"), 1);
        }
        (String::from(digits), int_len - lead as isize + exp)
    }

    fn ours(x: f64, mode: super::DigitMode) -> (String, isize) {
        let d = super::FloatDigits::new(x, mode);
        (
            String::from(core::str::from_utf8(d.digits()).unwrap_or("?")),
            d.decpt(),
        )
    }

    #[test]
    fn float_digits_match_core() {
        use super::DigitMode;
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut specials = alloc::vec![
            0.0,
            5e-324,
            1e-323,
            2.2250738585072014e-308,
            1.0,
            0.5,
            9.5,
            0.125,
            1e22,
            1e23,
            2f64.powi(-1022),
            2f64.powi(1000),
            f64::MAX,
            0.1,
            0.3
        ];
        for _ in 0..100_000 {
            specials.push(f64::from_bits(next() & 0x7fef_ffff_ffff_ffff));
        }
        for x in specials {
            let mut t = String::new();
            let _ = core::fmt::Write::write_fmt(&mut t, format_args!("{x:e}"));
            let shortest = ours(x, DigitMode::Shortest);
            let core_shortest = core_digits(&t);
            // Same length as core's shortest (core may pick the other
            // candidate of a tie), and it reads back as `x`.
            assert_eq!(shortest.0.len(), core_shortest.0.len(), "{x:e}");
            let text = alloc::format!("0.{}e{}", shortest.0, shortest.1);
            assert_eq!(parse_decimal(&text), Some(x), "{x:e} -> {text}");
            let n = (next() % 25) as usize + 1;
            t.clear();
            let _ = core::fmt::Write::write_fmt(&mut t, format_args!("{:.*e}", n - 1, x));
            assert_eq!(
                ours(x, DigitMode::Significant(n)),
                core_digits(&t),
                "{x:e} .{n}e"
            );
            let f = (next() % 30) as usize;
            t.clear();
            let _ = core::fmt::Write::write_fmt(&mut t, format_args!("{x:.f$}"));
            assert_eq!(
                ours(x, DigitMode::Fraction(f)),
                core_digits(&t),
                "{x:e} .{f}f"
            );
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod speed {
    extern crate std;
    use super::{DigitMode, FloatDigits, parse_exact};

    /// Rough cost per call (not an assertion: run with `--ignored --nocapture`).
    #[test]
    #[ignore]
    fn float_text_speed() {
        let xs: std::vec::Vec<f64> = (1..20_000)
            .map(|i| f64::from(i) * 0.37 + 1.0 / f64::from(i))
            .collect();
        let t = std::time::Instant::now();
        let mut n = 0;
        for &x in &xs {
            n += FloatDigits::new(x, DigitMode::Shortest).digits().len();
        }
        let ours = t.elapsed();
        let t = std::time::Instant::now();
        let mut texts = std::vec::Vec::new();
        for &x in &xs {
            texts.push(std::format!("{x:e}"));
        }
        let core_fmt = t.elapsed();
        let t = std::time::Instant::now();
        for s in &texts {
            n += parse_exact(s).map_or(0, |v| v as usize);
        }
        let ours_parse = t.elapsed();
        let t = std::time::Instant::now();
        for s in &texts {
            n += s.parse::<f64>().map_or(0, |v| v as usize);
        }
        let core_parse = t.elapsed();
        let k = xs.len() as u32;
        std::println!(
            "repr: ours {:?} core {:?}; parse: ours {:?} core {:?} (per call; {n})",
            ours / k,
            core_fmt / k,
            ours_parse / k,
            core_parse / k
        );
    }
}
