//! Interning for one package: the deduplicated string table, the constant
//! pool and the list of code objects, each checked against the module
//! format's limits. Owns nothing but the pools; code generation asks it for
//! indices.

use std::collections::HashMap;

use nanolambda_protocol::bytecode::{
    CodeMeta, CodeObject, Const, MAX_CODES, MAX_CONSTS, MAX_STRINGS,
};

/// Why a pool is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolFull(pub &'static str);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum ConstKey {
    Int(i64),
    Float(u64),
    Str(u32),
    Bytes(Vec<u8>),
    Tuple(Vec<u32>),
}

/// The package-wide pools.
#[derive(Default)]
pub struct Pools {
    /// Interned strings.
    pub strings: Vec<String>,
    string_index: HashMap<String, u32>,
    /// The constant pool.
    pub consts: Vec<Const>,
    const_index: HashMap<ConstKey, u32>,
    /// Code objects; `None` while reserved and being compiled.
    pub codes: Vec<Option<CodeObject>>,
    /// Docstrings and annotation functions of code objects (any order).
    pub meta: Vec<CodeMeta>,
}

impl Pools {
    /// Index of string `s`, interning it.
    pub fn string(&mut self, s: &str) -> Result<u32, PoolFull> {
        if let Some(&i) = self.string_index.get(s) {
            return Ok(i);
        }
        if self.strings.len() >= MAX_STRINGS {
            return Err(PoolFull("strings"));
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.string_index.insert(s.to_string(), i);
        Ok(i)
    }

    fn add(&mut self, key: ConstKey, value: Const) -> Result<u32, PoolFull> {
        if let Some(&i) = self.const_index.get(&key) {
            return Ok(i);
        }
        if self.consts.len() >= MAX_CONSTS {
            return Err(PoolFull("constants"));
        }
        let i = self.consts.len() as u32;
        self.consts.push(value);
        self.const_index.insert(key, i);
        Ok(i)
    }

    /// Constant index of an int.
    pub fn int(&mut self, v: i64) -> Result<u32, PoolFull> {
        self.add(ConstKey::Int(v), Const::Int(v))
    }

    /// Constant index of a float (distinguishes `0.0` from `-0.0`).
    pub fn float(&mut self, v: f64) -> Result<u32, PoolFull> {
        self.add(ConstKey::Float(v.to_bits()), Const::Float(v))
    }

    /// Constant index of a `str`.
    pub fn str_const(&mut self, s: &str) -> Result<u32, PoolFull> {
        let i = self.string(s)?;
        self.add(ConstKey::Str(i), Const::Str(i))
    }

    /// Constant index of a `bytes`.
    pub fn bytes(&mut self, b: &[u8]) -> Result<u32, PoolFull> {
        self.add(ConstKey::Bytes(b.to_vec()), Const::Bytes(b.to_vec()))
    }

    /// Constant index of a tuple of earlier constants.
    pub fn tuple(&mut self, items: Vec<u32>) -> Result<u32, PoolFull> {
        if items.len() > nanolambda_protocol::bytecode::MAX_TUPLE_CONST {
            return Err(PoolFull("tuple constant elements"));
        }
        self.add(ConstKey::Tuple(items.clone()), Const::Tuple(items))
    }

    /// Constant index of a tuple of `str` (keyword names of a call).
    pub fn names_tuple(&mut self, names: &[&str]) -> Result<u32, PoolFull> {
        let mut items = Vec::with_capacity(names.len());
        for n in names {
            items.push(self.str_const(n)?);
        }
        self.tuple(items)
    }

    /// Reserve a code object slot (filled by [`Pools::set_code`]).
    pub fn reserve_code(&mut self) -> Result<u32, PoolFull> {
        if self.codes.len() >= MAX_CODES {
            return Err(PoolFull("functions"));
        }
        self.codes.push(None);
        Ok((self.codes.len() - 1) as u32)
    }

    /// Fill a reserved code slot.
    pub fn set_code(&mut self, index: u32, code: CodeObject) {
        if let Some(slot) = self.codes.get_mut(index as usize) {
            *slot = Some(code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_constants_are_deduplicated() {
        let mut p = Pools::default();
        assert_eq!(p.string("a").unwrap(), 0);
        assert_eq!(p.string("b").unwrap(), 1);
        assert_eq!(p.string("a").unwrap(), 0);
        let s = p.str_const("a").unwrap();
        assert_eq!(p.str_const("a").unwrap(), s);
        assert_eq!(p.consts[s as usize], Const::Str(0));
        let z = p.float(0.0).unwrap();
        let nz = p.float(-0.0).unwrap();
        assert_ne!(z, nz);
        assert_eq!(p.float(0.0).unwrap(), z);
        let i = p.int(7).unwrap();
        let t = p.tuple(vec![i, s]).unwrap();
        assert_eq!(p.tuple(vec![i, s]).unwrap(), t);
        assert!(t > i && t > s);
        let k = p.names_tuple(&["a", "key"]).unwrap();
        assert!(matches!(&p.consts[k as usize], Const::Tuple(v) if v.len() == 2));
    }

    #[test]
    fn code_slots() {
        let mut p = Pools::default();
        let a = p.reserve_code().unwrap();
        let b = p.reserve_code().unwrap();
        assert_eq!((a, b), (0, 1));
        assert!(p.codes.iter().all(Option::is_none));
    }
}
