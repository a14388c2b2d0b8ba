//! Builtin modules: `json`, `math` (via `libm`), `time` and `os` (via the
//! [`Host`](super::Host)). A module is a small id; its functions are native
//! ids from [`MODFN_BASE`] on, so importing one costs nothing.

use alloc::string::String;

use super::interp::{R, Vm};
use super::value::{Value, ty};

/// `json`.
pub const JSON: u16 = 0;
/// `math`.
pub const MATH: u16 = 1;
/// `time`.
pub const TIME: u16 = 2;
/// `os`.
pub const OS: u16 = 3;
/// `os.environ`.
pub const ENVIRON: u16 = 4;

static MODULE_NAMES: &[&str] = &["json", "math", "time", "os", "os.environ"];

/// Native ids of module functions start here.
pub const MODFN_BASE: u16 = 1000;

static MODFNS: &[(u16, &str)] = &[
    (JSON, "dumps"),
    (JSON, "loads"),
    (MATH, "sqrt"),
    (MATH, "floor"),
    (MATH, "ceil"),
    (MATH, "fabs"),
    (MATH, "exp"),
    (MATH, "log"),
    (MATH, "log10"),
    (MATH, "log2"),
    (MATH, "pow"),
    (MATH, "sin"),
    (MATH, "cos"),
    (MATH, "tan"),
    (MATH, "asin"),
    (MATH, "acos"),
    (MATH, "atan"),
    (MATH, "atan2"),
    (MATH, "hypot"),
    (MATH, "isnan"),
    (MATH, "isinf"),
    (MATH, "isfinite"),
    (MATH, "trunc"),
    (MATH, "degrees"),
    (MATH, "radians"),
    (MATH, "copysign"),
    (MATH, "fsum"),
    (MATH, "gcd"),
    (MATH, "isclose"),
    (MATH, "sinh"),
    (MATH, "cosh"),
    (MATH, "tanh"),
    (MATH, "log1p"),
    (MATH, "expm1"),
    (MATH, "modf"),
    (MATH, "fmod"),
    (MATH, "factorial"),
    (TIME, "time"),
    (TIME, "monotonic"),
    (TIME, "perf_counter"),
    (TIME, "time_ns"),
    (TIME, "sleep"),
    (OS, "getenv"),
];

/// The builtin module named `name`, if any.
pub fn builtin_module(name: &str) -> Option<Value> {
    MODULE_NAMES
        .iter()
        .position(|n| *n == name)
        .filter(|&i| i != usize::from(ENVIRON))
        .map(|i| Value::BModule(i as u16))
}

/// Name of builtin module `m`.
pub fn module_name(m: u16) -> &'static str {
    MODULE_NAMES.get(usize::from(m)).copied().unwrap_or("?")
}

/// Name of module function `id` (a native id >= [`MODFN_BASE`]).
pub fn modfn_name(id: u16) -> &'static str {
    MODFNS
        .get(usize::from(id.saturating_sub(MODFN_BASE)))
        .map(|e| e.1)
        .unwrap_or("?")
}

impl Vm<'_, '_> {
    /// `module.name` for builtin module `m`.
    pub fn module_attr(&mut self, m: u16, name: &str) -> R<Option<Value>> {
        let v = match (m, name) {
            (MATH, "pi") => Value::Float(core::f64::consts::PI),
            (MATH, "e") => Value::Float(core::f64::consts::E),
            (MATH, "tau") => Value::Float(core::f64::consts::TAU),
            (MATH, "inf") => Value::Float(f64::INFINITY),
            (MATH, "nan") => Value::Float(f64::NAN),
            (OS, "environ") => Value::BModule(ENVIRON),
            (JSON, "JSONDecodeError") => Value::Type(ty::JSONDecodeError),
            (_, "__name__") => return Ok(Some(self.new_str(module_name(m))?)),
            _ => match MODFNS.iter().position(|e| e.0 == m && e.1 == name) {
                Some(i) => Value::Native(MODFN_BASE + i as u16),
                None => return Ok(None),
            },
        };
        Ok(Some(v))
    }

    fn float_arg(&mut self, v: Option<Value>) -> R<f64> {
        match v {
            Some(Value::Int(i)) => Ok(i as f64),
            Some(Value::Bool(b)) => Ok(f64::from(u8::from(b))),
            Some(Value::Float(f)) => Ok(f),
            Some(v) => {
                let t = self.type_name_of(v);
                Err(self.raise_fmt(ty::TypeError, format_args!("must be real number, not {t}")))
            }
            None => Err(self.raise(ty::TypeError, "function missing required argument")),
        }
    }

    fn domain(&mut self) -> super::interp::Raised {
        self.raise(ty::ValueError, "math domain error")
    }

    fn float_to_int(&mut self, f: f64) -> R<Value> {
        if f.is_nan() {
            return Err(self.raise(ty::ValueError, "cannot convert float NaN to integer"));
        }
        if f.is_infinite() {
            return Err(self.raise(
                ty::OverflowError,
                "cannot convert float infinity to integer",
            ));
        }
        if f.abs() >= 9.223_372_036_854_776e18 {
            return Err(self.raise(ty::OverflowError, "integer overflow"));
        }
        Ok(Value::Int(f as i64))
    }

    /// Call module function `id`.
    pub fn call_modfn(&mut self, id: u16, start: usize, n: usize, kwnames: Value) -> R<Value> {
        let a = self.take_args(start, n, kwnames);
        let name = modfn_name(id);
        let x = a.get(0);
        let m = MODFNS
            .get(usize::from(id.saturating_sub(MODFN_BASE)))
            .map(|e| e.0)
            .unwrap_or(MATH);
        match (m, name) {
            (JSON, "dumps") => self.json_dumps_call(&a),
            (JSON, "loads") => self.json_loads_call(&a),
            (TIME, "time") => Ok(Value::Float(self.host.time_unix())),
            (TIME, "monotonic" | "perf_counter") => Ok(Value::Float(self.host.time_monotonic())),
            (TIME, "time_ns") => Ok(Value::Int((self.host.time_unix() * 1e9) as i64)),
            (TIME, "sleep") => {
                let s = self.float_arg(x)?;
                if s < 0.0 {
                    return Err(self.raise(ty::ValueError, "sleep length must be non-negative"));
                }
                // The VM never blocks: a sleep that would pass the deadline
                // ends the invocation as Lambda would; a shorter one returns
                // at once (documented difference: the clock does not move).
                if s * 1000.0 >= self.host.remaining_millis() as f64 {
                    return Err(self.timeout());
                }
                Ok(Value::None)
            }
            (OS, "getenv") => self.call_native(super::builtins::N_GETENV, start, n, kwnames),
            (MATH, "floor" | "ceil" | "trunc") => match x {
                Some(Value::Int(i)) => Ok(Value::Int(i)),
                Some(Value::Bool(b)) => Ok(Value::Int(i64::from(b))),
                _ => {
                    let f = self.float_arg(x)?;
                    let r = match name {
                        "floor" => libm::floor(f),
                        "ceil" => libm::ceil(f),
                        _ => libm::trunc(f),
                    };
                    self.float_to_int(r)
                }
            },
            (MATH, "isnan" | "isinf" | "isfinite") => {
                let f = self.float_arg(x)?;
                Ok(Value::Bool(match name {
                    "isnan" => f.is_nan(),
                    "isinf" => f.is_infinite(),
                    _ => f.is_finite(),
                }))
            }
            (MATH, "gcd") => {
                let mut g: i64 = 0;
                for v in &a.pos {
                    let mut b = self.index_of(*v, "gcd")?.unsigned_abs();
                    let mut c = g.unsigned_abs();
                    while b != 0 {
                        let t = c % b;
                        c = b;
                        b = t;
                    }
                    g = c as i64;
                }
                Ok(Value::Int(g))
            }
            (MATH, "factorial") => {
                let k = self.index_of(x.unwrap_or(Value::None), "factorial")?;
                if k < 0 {
                    return Err(self.raise(
                        ty::ValueError,
                        "factorial() not defined for negative values",
                    ));
                }
                let mut acc: i64 = 1;
                for i in 2..=k {
                    acc = match acc.checked_mul(i) {
                        Some(v) => v,
                        None => return Err(self.raise(ty::OverflowError, "integer overflow")),
                    };
                }
                Ok(Value::Int(acc))
            }
            (MATH, "fsum") => {
                let items = self.collect_iter(x.unwrap_or(Value::None))?;
                // Neumaier compensated summation.
                let (mut s, mut c) = (0.0f64, 0.0f64);
                for v in items {
                    let f = self.float_arg(Some(v))?;
                    let t = s + f;
                    if s.abs() >= f.abs() {
                        c += (s - t) + f;
                    } else {
                        c += (f - t) + s;
                    }
                    s = t;
                }
                Ok(Value::Float(s + c))
            }
            (MATH, "isclose") => {
                let p = self.float_arg(x)?;
                let q = self.float_arg(a.get(1))?;
                let rel = match a.kw("rel_tol") {
                    Some(v) => self.float_arg(Some(v))?,
                    None => 1e-9,
                };
                let abs = match a.kw("abs_tol") {
                    Some(v) => self.float_arg(Some(v))?,
                    None => 0.0,
                };
                if p == q {
                    return Ok(Value::Bool(true));
                }
                if p.is_infinite() || q.is_infinite() {
                    return Ok(Value::Bool(false));
                }
                let d = (p - q).abs();
                Ok(Value::Bool(
                    d <= (rel * q).abs() || d <= (rel * p).abs() || d <= abs,
                ))
            }
            (MATH, "modf") => {
                let f = self.float_arg(x)?;
                let (i, fr) = (libm::trunc(f), f - libm::trunc(f));
                self.new_tuple(&[Value::Float(fr), Value::Float(i)])
            }
            (MATH, _) => {
                let f = self.float_arg(x)?;
                let two = matches!(name, "pow" | "atan2" | "hypot" | "copysign" | "fmod")
                    || (name == "log" && a.pos.len() == 2);
                let g = if two { self.float_arg(a.get(1))? } else { 0.0 };
                let r = match name {
                    "sqrt" => {
                        if f < 0.0 {
                            return Err(self.domain());
                        }
                        libm::sqrt(f)
                    }
                    "fabs" => f.abs(),
                    "exp" => {
                        let r = libm::exp(f);
                        if r.is_infinite() && f.is_finite() {
                            return Err(self.raise(ty::OverflowError, "math range error"));
                        }
                        r
                    }
                    "log" | "log10" | "log2" | "log1p" => {
                        let lim = if name == "log1p" { -1.0 } else { 0.0 };
                        if f <= lim || (two && g <= 0.0) {
                            return Err(self.domain());
                        }
                        match name {
                            "log10" => libm::log10(f),
                            "log2" => libm::log2(f),
                            "log1p" => libm::log1p(f),
                            _ if two => {
                                let d = libm::log(g);
                                if d == 0.0 {
                                    return Err(
                                        self.raise(ty::ZeroDivisionError, "float division by zero")
                                    );
                                }
                                libm::log(f) / d
                            }
                            _ => libm::log(f),
                        }
                    }
                    "expm1" => libm::expm1(f),
                    "pow" => {
                        if f == 0.0 && g < 0.0
                            || (f < 0.0 && super::ops::fract(g) != 0.0 && g.is_finite())
                        {
                            return Err(self.domain());
                        }
                        let r = libm::pow(f, g);
                        if r.is_infinite() && f.is_finite() && g.is_finite() {
                            return Err(self.raise(ty::OverflowError, "math range error"));
                        }
                        r
                    }
                    "sin" | "cos" | "tan" if f.is_infinite() => return Err(self.domain()),
                    "sin" => libm::sin(f),
                    "cos" => libm::cos(f),
                    "tan" => libm::tan(f),
                    "asin" | "acos" if !(-1.0..=1.0).contains(&f) => return Err(self.domain()),
                    "asin" => libm::asin(f),
                    "acos" => libm::acos(f),
                    "atan" => libm::atan(f),
                    "atan2" => libm::atan2(f, g),
                    "hypot" => libm::hypot(f, g),
                    "degrees" => f.to_degrees(),
                    "radians" => f.to_radians(),
                    "copysign" => libm::copysign(f, g),
                    "fmod" => {
                        if g == 0.0 {
                            return Err(self.domain());
                        }
                        libm::fmod(f, g)
                    }
                    "sinh" => libm::sinh(f),
                    "cosh" => libm::cosh(f),
                    "tanh" => libm::tanh(f),
                    _ => return Err(self.internal("math function")),
                };
                Ok(Value::Float(r))
            }
            _ => {
                let msg = String::from(name);
                Err(self.raise_fmt(ty::NotImplementedError, format_args!("{msg}")))
            }
        }
    }
}
