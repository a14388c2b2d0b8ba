//! Builtin modules: `json`, `math` (via `libm`), `time` and `os` (via the
//! [`Host`](super::Host)), and with the `boto3` feature `boto3`, `botocore`
//! and `botocore.exceptions` (served by `boto3.rs`; the S3 client,
//! `s3.exceptions` and `StreamingBody` methods are module values too). A
//! module is a small id; its functions are native ids from [`MODFN_BASE`]
//! on, so importing one costs nothing.

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
/// `boto3`.
pub const BOTO3: u16 = 5;
/// `botocore`.
#[cfg_attr(not(feature = "boto3"), allow(dead_code))]
pub const BOTOCORE: u16 = 6;
/// `botocore.exceptions`.
pub const BOTOCORE_EXC: u16 = 7;
/// What `boto3.client("s3")` returns (not importable).
pub const S3CLIENT: u16 = 8;
/// `s3.exceptions` (not importable).
#[cfg_attr(not(feature = "boto3"), allow(dead_code))]
pub const S3EXC: u16 = 9;
/// Holder of the `StreamingBody` methods (not importable).
pub const BODY: u16 = 10;
/// What `s3.get_paginator("list_objects_v2")` returns (not importable).
pub const PAGINATOR: u16 = 11;

static MODULE_NAMES: &[&str] = &[
    "json",
    "math",
    "time",
    "os",
    "os.environ",
    "boto3",
    "botocore",
    "botocore.exceptions",
    "botocore.client.S3",
    "botocore.errorfactory",
    "botocore.response",
    "botocore.paginate.ListObjectsV2",
];

/// Native ids of module functions start here.
pub const MODFN_BASE: u16 = 1000;

macro_rules! modfns {
    ($($f:ident = ($m:ident, $py:literal);)*) => {
        /// A module function, so that dispatch is one jump table rather
        /// than a chain of string comparisons.
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum F { $($f,)* }
        static MODFNS: &[(u16, &str)] = &[$(($m, $py)),*];
        fn modfn_by_id(id: u16) -> Option<F> {
            const ALL: &[F] = &[$(F::$f),*];
            ALL.get(usize::from(id.checked_sub(MODFN_BASE)?)).copied()
        }
    };
}

modfns! {
    Dumps = (JSON, "dumps");
    Loads = (JSON, "loads");
    Sqrt = (MATH, "sqrt");
    Floor = (MATH, "floor");
    Ceil = (MATH, "ceil");
    Fabs = (MATH, "fabs");
    Exp = (MATH, "exp");
    Log = (MATH, "log");
    Log10 = (MATH, "log10");
    Log2 = (MATH, "log2");
    Pow = (MATH, "pow");
    Sin = (MATH, "sin");
    Cos = (MATH, "cos");
    Tan = (MATH, "tan");
    Asin = (MATH, "asin");
    Acos = (MATH, "acos");
    Atan = (MATH, "atan");
    Atan2 = (MATH, "atan2");
    Hypot = (MATH, "hypot");
    Isnan = (MATH, "isnan");
    Isinf = (MATH, "isinf");
    Isfinite = (MATH, "isfinite");
    Trunc = (MATH, "trunc");
    Degrees = (MATH, "degrees");
    Radians = (MATH, "radians");
    Copysign = (MATH, "copysign");
    Fsum = (MATH, "fsum");
    Gcd = (MATH, "gcd");
    Isclose = (MATH, "isclose");
    Sinh = (MATH, "sinh");
    Cosh = (MATH, "cosh");
    Tanh = (MATH, "tanh");
    Log1p = (MATH, "log1p");
    Expm1 = (MATH, "expm1");
    Modf = (MATH, "modf");
    Fmod = (MATH, "fmod");
    Factorial = (MATH, "factorial");
    Comb = (MATH, "comb");
    Perm = (MATH, "perm");
    Isqrt = (MATH, "isqrt");
    Lcm = (MATH, "lcm");
    Prod = (MATH, "prod");
    Frexp = (MATH, "frexp");
    Ldexp = (MATH, "ldexp");
    Dist = (MATH, "dist");
    Time = (TIME, "time");
    Monotonic = (TIME, "monotonic");
    PerfCounter = (TIME, "perf_counter");
    TimeNs = (TIME, "time_ns");
    Sleep = (TIME, "sleep");
    Getenv = (OS, "getenv");
    Client = (BOTO3, "client");
    GetObject = (S3CLIENT, "get_object");
    PutObject = (S3CLIENT, "put_object");
    HeadObject = (S3CLIENT, "head_object");
    DeleteObject = (S3CLIENT, "delete_object");
    ListObjectsV2 = (S3CLIENT, "list_objects_v2");
    BodyRead = (BODY, "read");
    BodyClose = (BODY, "close");
    GetPaginator = (S3CLIENT, "get_paginator");
    Paginate = (PAGINATOR, "paginate");
}

/// `math`'s exponential, logarithmic, trigonometric and hyperbolic
/// functions: left out of builds without the `math-trig` feature (they
/// raise `NotImplementedError` naming themselves there).
#[cfg(not(feature = "math-trig"))]
const TRANSCENDENTAL: &[F] = &[
    F::Exp,
    F::Expm1,
    F::Log,
    F::Log10,
    F::Log2,
    F::Log1p,
    F::Sin,
    F::Cos,
    F::Tan,
    F::Asin,
    F::Acos,
    F::Atan,
    F::Atan2,
    F::Sinh,
    F::Cosh,
    F::Tanh,
];

/// The builtin module named `name`, if any.
pub fn builtin_module(name: &str) -> Option<Value> {
    MODULE_NAMES
        .iter()
        .position(|n| *n == name)
        .filter(|&i| {
            i != usize::from(ENVIRON)
                && (i < usize::from(BOTO3)
                    || cfg!(feature = "boto3") && i <= usize::from(BOTOCORE_EXC))
        })
        .map(|i| Value::BModule(i as u16))
}

/// Native id of function `name` of builtin module `m`.
pub fn modfn_id(m: u16, name: &str) -> Option<u16> {
    MODFNS
        .iter()
        .position(|e| e.0 == m && e.1 == name)
        .map(|i| MODFN_BASE + i as u16)
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

/// The attribute names of builtin module `m` (for `dir()`), unsorted.
#[cfg(feature = "py-extra")]
pub fn builtin_module_names(m: u16) -> alloc::vec::Vec<&'static str> {
    let mut out: alloc::vec::Vec<&'static str> =
        MODFNS.iter().filter(|e| e.0 == m).map(|e| e.1).collect();
    let extra: &[&'static str] = match m {
        MATH => &["pi", "e", "tau", "inf", "nan"],
        OS => &["environ", "sep", "path"],
        JSON => &["JSONDecodeError", "JSONEncoder", "dump", "load"],
        TIME => TIME_SUPPORT_NAMES,
        _ => &[],
    };
    out.extend_from_slice(extra);
    out
}

/// The names of `time` served by the linked `_nanolambda_time` module (the
/// compiler links it when a package uses one of them).
pub const TIME_SUPPORT_NAMES: &[&str] = &[
    "struct_time",
    "gmtime",
    "localtime",
    "mktime",
    "strftime",
    "strptime",
    "asctime",
    "ctime",
];

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
            #[cfg(feature = "boto3")]
            (BOTOCORE | BOTOCORE_EXC | S3CLIENT | S3EXC, _)
                if super::boto3::module_attr(m, name).is_some() =>
            {
                return Ok(super::boto3::module_attr(m, name));
            }
            _ => match modfn_id(m, name) {
                Some(id) if m != BODY => Value::Native(id),
                None if cfg!(feature = "py-extra") => return self.linked_module_attr(m, name),
                _ => return Ok(None),
            },
        };
        Ok(Some(v))
    }

    /// Attributes of builtin modules that bundled Python modules serve,
    /// linked into the package when its source names them: `os.path` (the
    /// bundled `posixpath`, linked as module `os.path`), `os.sep`,
    /// `json.JSONEncoder`/`dump`/`load` (`_nanolambda_json`) and
    /// `time.gmtime`, `strftime`... (`_nanolambda_time`).
    #[inline(never)]
    fn linked_module_attr(&mut self, m: u16, name: &str) -> R<Option<Value>> {
        let want = match (m, name) {
            (OS, "sep") => return self.new_str("/").map(Some),
            (OS, "path") => "os.path",
            (JSON, "JSONEncoder" | "dump" | "load") => "_nanolambda_json",
            (TIME, _) if TIME_SUPPORT_NAMES.contains(&name) => "_nanolambda_time",
            _ => return Ok(None),
        };
        let prog = self.prog;
        let Some(mi) = prog
            .m
            .table
            .modules
            .iter()
            .position(|sm| prog.m.string(sm.name) == want)
        else {
            return Ok(None);
        };
        let module = self.import_package_module(mi)?;
        if m == OS {
            return Ok(Some(module));
        }
        let key = self.new_str(name)?;
        self.getattr_opt(module, key)
    }

    pub(super) fn float_arg(&mut self, v: Option<Value>) -> R<f64> {
        match v {
            Some(Value::Int(i)) => Ok(i as f64),
            Some(Value::Bool(b)) => Ok(f64::from(u8::from(b))),
            Some(Value::Float(f)) => Ok(f),
            #[cfg(feature = "py-extra")]
            Some(v) if self.is_big(v) => {
                let x = self.big_of(v).unwrap_or_default();
                self.big_to_f64(&x)
            }
            // An instance of an `int`/`float` subclass.
            #[cfg(feature = "py-extra")]
            Some(v) if matches!(self.value_of(v), Value::Int(_) | Value::Float(_)) => {
                self.float_arg(Some(self.value_of(v)))
            }
            Some(v) => Err(self.raise_with_type(ty::TypeError, "must be real number, not ", v, "")),
            None => Err(self.raise(ty::TypeError, "function missing required argument")),
        }
    }

    fn domain(&mut self) -> super::interp::Raised {
        self.raise(ty::ValueError, "math domain error")
    }

    /// `int(f)` of a float (truncated): CPython's errors for NaN and the
    /// infinities; past 64 bits a big int (`py-extra`) or `OverflowError`.
    pub(crate) fn float_to_int(&mut self, f: f64) -> R<Value> {
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
            #[cfg(feature = "py-extra")]
            return self.int_from_float(f);
            #[cfg(not(feature = "py-extra"))]
            return Err(self.raise(ty::OverflowError, "integer overflow"));
        }
        Ok(Value::Int(f as i64))
    }

    /// Call module function `id`.
    #[inline(never)]
    pub fn call_modfn(&mut self, id: u16, start: usize, n: usize, kwnames: Value) -> R<Value> {
        let Some(f) = modfn_by_id(id) else {
            return Err(self.internal("unknown module function"));
        };
        let a = self.take_args(start, n, kwnames);
        let x = a.get(0);
        match f {
            F::Dumps => self.json_dumps_call(&a),
            F::Loads => self.json_loads_call(&a),
            F::Time => Ok(Value::Float(self.host.time_unix())),
            F::Monotonic | F::PerfCounter => Ok(Value::Float(self.host.time_monotonic())),
            F::TimeNs => Ok(Value::Int((self.host.time_unix() * 1e9) as i64)),
            F::Sleep => {
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
            F::Getenv => self.call_native(super::builtins::N_GETENV, start, n, kwnames),
            F::Client
            | F::GetObject
            | F::PutObject
            | F::HeadObject
            | F::DeleteObject
            | F::ListObjectsV2
            | F::BodyRead
            | F::BodyClose
            | F::GetPaginator
            | F::Paginate => self.boto3_dispatch(f, &a),
            F::Floor | F::Ceil | F::Trunc => match x {
                Some(Value::Int(i)) => Ok(Value::Int(i)),
                Some(Value::Bool(b)) => Ok(Value::Int(i64::from(b))),
                // `math.floor(Decimal(...))`: the class's `__floor__`...
                #[cfg(feature = "py-extra")]
                Some(v @ Value::Obj(_))
                    if self
                        .user_method(
                            v,
                            match f {
                                F::Floor => "__floor__",
                                F::Ceil => "__ceil__",
                                _ => "__trunc__",
                            },
                        )?
                        .is_some() =>
                {
                    let name = match f {
                        F::Floor => "__floor__",
                        F::Ceil => "__ceil__",
                        _ => "__trunc__",
                    };
                    match self.user_method(v, name)? {
                        Some(m) => self.call(m, &[v]),
                        None => Ok(Value::None),
                    }
                }
                _ => {
                    let v = self.float_arg(x)?;
                    let r = match f {
                        F::Floor => super::fmath::floor(v),
                        F::Ceil => super::fmath::ceil(v),
                        _ => super::fmath::trunc(v),
                    };
                    self.float_to_int(r)
                }
            },
            F::Isnan | F::Isinf | F::Isfinite => {
                let v = self.float_arg(x)?;
                Ok(Value::Bool(match f {
                    F::Isnan => v.is_nan(),
                    F::Isinf => v.is_infinite(),
                    _ => v.is_finite(),
                }))
            }
            #[cfg(feature = "py-extra")]
            F::Gcd => self.big_gcd(&a.pos, false),
            #[cfg(feature = "py-extra")]
            F::Factorial => self.big_factorial(x),
            #[cfg(not(feature = "py-extra"))]
            F::Gcd => {
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
            #[cfg(not(feature = "py-extra"))]
            F::Factorial => {
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
            F::Fsum => {
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
            F::Isclose => {
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
            F::Modf => {
                let v = self.float_arg(x)?;
                let (i, fr) = if v.is_infinite() {
                    (v, super::fmath::copysign(0.0, v))
                } else {
                    (super::fmath::trunc(v), v - super::fmath::trunc(v))
                };
                self.new_tuple(&[Value::Float(fr), Value::Float(i)])
            }
            F::Comb | F::Perm | F::Isqrt | F::Lcm | F::Prod | F::Frexp | F::Ldexp | F::Dist => {
                self.math_more(f, &a)
            }
            _ => self.math_float_fn(f, &a),
        }
    }

    /// `math.comb`, `perm`, `isqrt`, `lcm`, `prod`, `frexp`, `ldexp`,
    /// `dist`, with CPython's errors (64-bit results: `OverflowError`
    /// beyond).
    /// They come with the `py-extra` feature (flash on the chip images).
    #[inline(never)]
    fn math_more(&mut self, f: F, a: &super::builtins::Args) -> R<Value> {
        if !cfg!(feature = "py-extra") {
            let name = MODFNS.get(f as usize).map_or("?", |m| m.1);
            return Err(self.left_out(format_args!("math.{name} is"), "py-extra"));
        }
        let x = a.get(0);
        #[cfg(not(feature = "py-extra"))]
        let overflow = |vm: &mut Self| vm.raise(ty::OverflowError, "integer overflow");
        match f {
            #[cfg(feature = "py-extra")]
            F::Comb | F::Perm => self.big_comb(x, a.get(1), f == F::Comb),
            #[cfg(feature = "py-extra")]
            F::Isqrt => self.big_isqrt(x),
            #[cfg(feature = "py-extra")]
            F::Lcm => self.big_gcd(&a.pos, true),
            #[cfg(not(feature = "py-extra"))]
            F::Comb | F::Perm => {
                let name = if f == F::Comb { "comb" } else { "perm" };
                let n = self.index_of(x.unwrap_or(Value::None), name)?;
                let k = match a.get(1) {
                    None | Some(Value::None) if f == F::Perm => n,
                    v => self.index_of(v.unwrap_or(Value::None), name)?,
                };
                if n < 0 || k < 0 {
                    let which = if n < 0 { 'n' } else { 'k' };
                    return Err(self.raise_fmt(
                        ty::ValueError,
                        format_args!("{which} must be a non-negative integer"),
                    ));
                }
                if k > n {
                    return Ok(Value::Int(0));
                }
                let k = if f == F::Comb { k.min(n - k) } else { k };
                let mut r: i128 = 1;
                for i in 0..k {
                    r *= i128::from(n - i);
                    if f == F::Comb {
                        r /= i128::from(i + 1);
                    }
                    if r > i128::from(i64::MAX) {
                        return Err(overflow(self));
                    }
                }
                Ok(Value::Int(r as i64))
            }
            #[cfg(not(feature = "py-extra"))]
            F::Isqrt => {
                let n = self.index_of(x.unwrap_or(Value::None), "isqrt")?;
                if n < 0 {
                    return Err(self.raise(ty::ValueError, "isqrt() argument must be nonnegative"));
                }
                let mut r = super::fmath::sqrt(n as f64) as i64;
                while r.checked_mul(r).is_none_or(|sq| sq > n) {
                    r -= 1;
                }
                while (r + 1).checked_mul(r + 1).is_some_and(|sq| sq <= n) {
                    r += 1;
                }
                Ok(Value::Int(r))
            }
            #[cfg(not(feature = "py-extra"))]
            F::Lcm => {
                let mut l: i64 = 1;
                for v in &a.pos {
                    let b = self.index_of(*v, "lcm")?.checked_abs();
                    let Some(b) = b else {
                        return Err(overflow(self));
                    };
                    if b == 0 || l == 0 {
                        l = 0;
                        continue;
                    }
                    let (mut p, mut q) = (l, b);
                    while q != 0 {
                        (p, q) = (q, p % q);
                    }
                    l = match (l / p).checked_mul(b) {
                        Some(v) => v,
                        None => return Err(overflow(self)),
                    };
                }
                Ok(Value::Int(l))
            }
            F::Prod => {
                let items = self.collect_iter(x.unwrap_or(Value::None))?;
                let mut acc = a.kw("start").or(a.get(1)).unwrap_or(Value::Int(1));
                for v in items {
                    acc = self.binary(
                        nanolambda_protocol::bytecode::isa::BinOp::Mul,
                        acc,
                        v,
                        false,
                    )?;
                }
                Ok(acc)
            }
            F::Frexp => {
                let v = self.float_arg(x)?;
                let (m, e) = if v == 0.0 || !v.is_finite() {
                    (v, 0)
                } else {
                    super::fmath::frexp(v)
                };
                self.new_tuple(&[Value::Float(m), Value::Int(i64::from(e))])
            }
            F::Ldexp => {
                let v = self.float_arg(x)?;
                let e = self.index_of(a.get(1).unwrap_or(Value::None), "ldexp")?;
                let r = super::fmath::ldexp(v, e.clamp(-10_000, 10_000) as i32);
                if r.is_infinite() && v.is_finite() {
                    return Err(self.raise(ty::OverflowError, "math range error"));
                }
                Ok(Value::Float(r))
            }
            _ => {
                // dist(p, q): the Euclidean distance of two points.
                let p = self.collect_iter(x.unwrap_or(Value::None))?;
                let q = self.collect_iter(a.get(1).unwrap_or(Value::None))?;
                if p.len() != q.len() {
                    return Err(self.raise(
                        ty::ValueError,
                        "both points must have the same number of dimensions",
                    ));
                }
                let mut d = 0.0f64;
                for (u, w) in p.into_iter().zip(q) {
                    let diff = self.float_arg(Some(u))? - self.float_arg(Some(w))?;
                    d = super::fmath::hypot(d, diff);
                }
                Ok(Value::Float(d))
            }
        }
    }

    #[cfg(feature = "boto3")]
    fn boto3_dispatch(&mut self, f: F, a: &super::builtins::Args) -> R<Value> {
        use super::boto3::Call;
        let c = match f {
            F::Client => Call::Client,
            F::GetObject => Call::Get,
            F::PutObject => Call::Put,
            F::HeadObject => Call::Head,
            F::DeleteObject => Call::Delete,
            F::ListObjectsV2 => Call::List,
            F::BodyRead => Call::Read,
            F::GetPaginator => Call::GetPaginator,
            F::Paginate => Call::Paginate,
            _ => Call::Close,
        };
        self.boto3_call(c, a)
    }

    #[cfg(not(feature = "boto3"))]
    fn boto3_dispatch(&mut self, _f: F, _a: &super::builtins::Args) -> R<Value> {
        Err(self.internal("boto3 is not built in"))
    }

    /// The `math` functions of one or two floats returning a float.
    #[inline(never)]
    fn math_float_fn(&mut self, f: F, a: &super::builtins::Args) -> R<Value> {
        #[cfg(not(feature = "math-trig"))]
        if TRANSCENDENTAL.contains(&f) {
            let name = MODFNS.get(f as usize).map_or("?", |m| m.1);
            return Err(self.left_out(format_args!("math.{name} is"), "math-trig"));
        }
        // The log of an int past the float range (`math.log(10 ** 400)`).
        #[cfg(all(feature = "py-extra", feature = "math-trig"))]
        if let (F::Log | F::Log2 | F::Log10, Some(x)) = (f, a.get(0)) {
            let which = match f {
                F::Log2 => 2,
                F::Log10 => 10,
                _ => 0,
            };
            let base = if f == F::Log { a.get(1) } else { None };
            if let Some(r) = self.big_log(which, x, base)? {
                return Ok(r);
            }
        }
        // `hypot(*coordinates)`: any number of them (CPython 3.8).
        #[cfg(feature = "py-extra")]
        if f == F::Hypot && a.pos.len() != 2 {
            let mut xs = Vec::with_capacity(a.pos.len());
            for &x in a.pos.iter() {
                xs.push(self.float_arg(Some(x))?.abs());
            }
            return Ok(Value::Float(super::fmath::hypot_n(&xs)));
        }
        let v = self.float_arg(a.get(0))?;
        let two = matches!(f, F::Pow | F::Atan2 | F::Hypot | F::Copysign | F::Fmod)
            || (f == F::Log && a.pos.len() == 2);
        let g = if two { self.float_arg(a.get(1))? } else { 0.0 };
        let r = match f {
            F::Sqrt => {
                if v < 0.0 {
                    return Err(self.domain());
                }
                super::fmath::sqrt(v)
            }
            F::Fabs => v.abs(),
            #[cfg(feature = "math-trig")]
            F::Exp => {
                let r = super::fmath::exp(v);
                if r.is_infinite() && v.is_finite() {
                    return Err(self.raise(ty::OverflowError, "math range error"));
                }
                r
            }
            #[cfg(feature = "math-trig")]
            F::Log | F::Log10 | F::Log2 | F::Log1p => {
                let lim = if f == F::Log1p { -1.0 } else { 0.0 };
                if v <= lim || (two && g <= 0.0) {
                    return Err(self.domain());
                }
                match f {
                    F::Log10 => super::fmath::log10(v),
                    F::Log2 => super::fmath::log2(v),
                    F::Log1p => super::fmath::log1p(v),
                    _ if two => {
                        let d = super::fmath::log(g);
                        if d == 0.0 {
                            return Err(self.raise(ty::ZeroDivisionError, "float division by zero"));
                        }
                        super::fmath::log(v) / d
                    }
                    _ => super::fmath::log(v),
                }
            }
            #[cfg(feature = "math-trig")]
            F::Expm1 => super::fmath::expm1(v),
            F::Pow => {
                if v == 0.0 && g < 0.0 || (v < 0.0 && super::ops::fract(g) != 0.0 && g.is_finite())
                {
                    return Err(self.domain());
                }
                let r = super::fmath::pow(v, g);
                if r.is_infinite() && v.is_finite() && g.is_finite() {
                    return Err(self.raise(ty::OverflowError, "math range error"));
                }
                r
            }
            #[cfg(feature = "math-trig")]
            F::Sin | F::Cos | F::Tan if v.is_infinite() => return Err(self.domain()),
            #[cfg(feature = "math-trig")]
            F::Sin => super::fmath::sin(v),
            #[cfg(feature = "math-trig")]
            F::Cos => super::fmath::cos(v),
            #[cfg(feature = "math-trig")]
            F::Tan => super::fmath::tan(v),
            #[cfg(feature = "math-trig")]
            F::Asin | F::Acos if !(-1.0..=1.0).contains(&v) => return Err(self.domain()),
            #[cfg(feature = "math-trig")]
            F::Asin => super::fmath::asin(v),
            #[cfg(feature = "math-trig")]
            F::Acos => super::fmath::acos(v),
            #[cfg(feature = "math-trig")]
            F::Atan => super::fmath::atan(v),
            #[cfg(feature = "math-trig")]
            F::Atan2 => super::fmath::atan2(v, g),
            F::Hypot => super::fmath::hypot(v, g),
            F::Degrees => v.to_degrees(),
            F::Radians => v.to_radians(),
            F::Copysign => super::fmath::copysign(v, g),
            F::Fmod => {
                if g == 0.0 {
                    return Err(self.domain());
                }
                super::ops::fmod(v, g)
            }
            #[cfg(feature = "math-trig")]
            F::Sinh => super::fmath::sinh(v),
            #[cfg(feature = "math-trig")]
            F::Cosh => super::fmath::cosh(v),
            #[cfg(feature = "math-trig")]
            F::Tanh => super::fmath::tanh(v),
            _ => return Err(self.internal("math function")),
        };
        Ok(Value::Float(r))
    }
}
