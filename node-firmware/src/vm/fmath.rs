//! The float functions the VM computes with. Host builds (`std`) call the
//! platform's C library, as CPython does, so `math.exp(1)`, `x ** 0.5` or
//! `math.sin(x)` give CPython's digits to the last bit; devices use the
//! `libm` crate (a port of musl's), which can differ from it in the last
//! bit for the transcendental functions. The exactly rounded ones (`sqrt`,
//! `floor`, `fmod`, `copysign`...) are the same either way and come from
//! `libm` everywhere.

// Builds without `math-trig` or `py-extra` use only some of them.
#![allow(unused_imports)]

pub use libm::{ceil, copysign, floor, fmod, frexp, ldexp, rint, sqrt, trunc};

macro_rules! platform {
    ($($name:ident($($arg:ident),+);)*) => {
        $(
            #[cfg(feature = "std")]
            #[inline]
            pub fn $name($($arg: f64),+) -> f64 {
                platform!(@call $name, $($arg),+)
            }
            #[cfg(not(feature = "std"))]
            pub use libm::$name;
        )*
    };
    (@call expm1, $x:ident) => { $x.exp_m1() };
    (@call log1p, $x:ident) => { $x.ln_1p() };
    (@call $name:ident, $x:ident) => { $x.$name() };
    (@call $name:ident, $x:ident, $y:ident) => { platform!(@two $name, $x, $y) };
    (@two pow, $x:ident, $y:ident) => { $x.powf($y) };
    (@two $name:ident, $x:ident, $y:ident) => { $x.$name($y) };
}

platform! {
    exp(x);
    expm1(x);
    log1p(x);
    log2(x);
    log10(x);
    sin(x);
    cos(x);
    tan(x);
    asin(x);
    acos(x);
    atan(x);
    sinh(x);
    cosh(x);
    tanh(x);
    atan2(x, y);
    hypot(x, y);
    pow(x, y);
}

/// The natural logarithm (`f64::ln` with `std`).
#[cfg(feature = "std")]
#[inline]
pub fn log(x: f64) -> f64 {
    x.ln()
}
#[cfg(not(feature = "std"))]
pub use libm::log;

// Devices' libm differs in the last bit (sin(2.5) is ...564 there).
#[cfg(all(test, feature = "std"))]
mod tests {
    #[test]
    fn host_functions_give_cpythons_digits() {
        // CPython 3.11 on glibc: math.exp(0.3), math.log(7), math.sin(2.5),
        // 10 ** 0.1, and math.e (libm's exp(1) is one bit above it).
        assert_eq!(super::exp(0.3), 1.3498588075760032);
        assert_eq!(super::log(7.0), 1.9459101490553132);
        assert_eq!(super::sin(2.5), 0.5984721441039565);
        assert_eq!(super::pow(10.0, 0.1), 1.2589254117941673);
        assert_eq!(super::exp(1.0), core::f64::consts::E);
        assert_eq!(super::atan2(1.0, 2.0), 0.4636476090008061);
    }
}

/// A finite, non-zero float's magnitude as `mantissa * 2 ** exponent`
/// with an odd mantissa (the exact fraction `as_integer_ratio` builds).
#[cfg(feature = "py-extra")]
pub fn odd_mantissa_exponent(f: f64) -> (u64, i32) {
    let bits = f.to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i32;
    let mut mant = bits & ((1u64 << 52) - 1);
    let mut exp = if raw_exp == 0 {
        -1074
    } else {
        mant |= 1 << 52;
        raw_exp - 1075
    };
    let tz = mant.trailing_zeros().min(63);
    mant >>= tz;
    exp += tz as i32;
    (mant, exp)
}

/// `math.hypot(*xs)` of the coordinates' absolute values, as CPython's
/// `vector_norm`: scaled by a power of two (exactly) near 1, the squares
/// summed exactly in two doubles (`fma` gives each square's rounding
/// error), then one Newton step on the square root, so the result is
/// correctly rounded in practice and nothing overflows or underflows.
#[cfg(feature = "py-extra")]
pub fn hypot_n(xs: &[f64]) -> f64 {
    if xs.iter().any(|x| x.is_infinite()) {
        return f64::INFINITY;
    }
    if xs.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    let max = xs.iter().copied().fold(0.0, f64::max);
    if max == 0.0 || xs.len() == 1 {
        return max;
    }
    let (_, e) = frexp(max);
    let (mut hi, mut lo) = (0.0f64, 0.0f64);
    for &x in xs {
        let y = ldexp(x, -e);
        let p = y * y;
        let p_err = libm::fma(y, y, -p);
        // Two-sum of hi + p.
        let s = hi + p;
        let z = s - hi;
        lo += (hi - (s - z)) + (p - z) + p_err;
        hi = s;
    }
    let mut h = sqrt(hi + lo);
    let hh = h * h;
    let hh_err = libm::fma(h, h, -hh);
    h += ((hi - hh) - hh_err + lo) / (2.0 * h);
    ldexp(h, e)
}
