//! The arena: every Python object of one invocation lives here, and the
//! mark-sweep garbage collector that recycles it. It owns the memory layout;
//! it knows nothing about Python semantics.
//!
//! ## Memory layout
//!
//! The arena (`&mut [u8]` from the host) is used as an array of 64-bit
//! words (its start is aligned up to 8 bytes). Word 0 is never an object, so
//! a reference (`Ref`, a `u32` word index) of 0 means "none". Nothing is
//! zeroed at setup: objects are bump-allocated from word 1 upwards, and a
//! fresh heap costs O(1) whatever the arena size.
//!
//! Every object starts with one **header word**:
//!
//! | bits   | meaning                                              |
//! |--------|------------------------------------------------------|
//! | 0-7    | kind ([`Kind`])                                      |
//! | 8      | GC mark                                              |
//! | 9-15   | kind-specific flags (e.g. [`FLAG_ASCII`] on `str`)   |
//! | 32-63  | size of the object in words, header included         |
//!
//! After the header an object has `raw` plain words, then `n` **value
//! slots** of two words each (see [`Value::encode`](super::value::Value)):
//! a tag word and a payload word (int, float bits, object index...). The
//! collector only follows value slots, so `raw`/`n` per kind ([`layout`])
//! is all it needs to know. Tuples and arrays keep their length in raw word
//! 0 and only that many slots are traced (the rest of an array's capacity is
//! uninitialised).
//!
//! Values: the tag word's low byte is the tag (`None`, bool, int, float,
//! object, builtin type/function/method/module ids); ints and floats are
//! inline (no allocation). Dict and set entries are `(key, value)` slot
//! pairs in an `Array`, the key's tag word carrying the low 32 bits of its
//! hash in its high half; dicts past 8 entries get an open-addressing
//! index (`Raw`, two `u32` slots per word). Interpreter frames are charged
//! `locals + cells + 4` words (see `Program::prepare`).
//!
//! ## Allocation and collection
//!
//! Small objects are bump-allocated upwards from word 1 (`top`); objects of
//! [`LARGE_MIN`] words or more (big strings, list/dict storage) are
//! bump-allocated downwards from the end of the arena (`hi`), so small
//! objects cannot fragment the space large ones need. Freed memory is kept
//! in free lists: one exact-size list per small size (up to [`SMALL`]
//! words), one first-fit list of larger blocks per region. A free block is
//! a header of kind [`Kind::Free`] and a next pointer. Recycled blocks are
//! used before the untouched gap between the regions.
//!
//! The collector is a non-moving mark-sweep: it marks from the roots the VM
//! hands it (value stack, frames, globals, caches, exception state, native
//! root stack) with an explicit mark stack (no recursion), then sweeps both
//! regions, coalescing adjacent free blocks and giving free runs that touch
//! the gap back to it. It runs when the words allocated since the last
//! collection pass a threshold proportional to the live size, or when free
//! space drops below a quarter of the arena.
//!
//! Collection only happens at **safe points** chosen by the VM: between
//! instructions, or inside an allocation made while the VM's `gc_ok` flag
//! is set by code that keeps everything it holds rooted (a few atomic
//! instructions such as `d[k] = v`, `ListAppend`, building one string, and
//! natives that root their temporaries). A plain allocation never moves or
//! frees anything, so native code cannot lose an unrooted reference; when
//! it finds no room it raises `MemoryError`.
//!
//! The interpreter's frames are accounted against the same arena: pushing a
//! frame reserves its size from the free words (bump region plus free
//! lists), so deep recursion and objects compete for the same memory the
//! host granted; an allocation never eats into reserved frame words.

use super::value::Value;

/// A reference to an object: the word index of its header (0 = none).
pub type Ref = u32;

/// Sizes (in words) with their own exact free list.
pub const SMALL: usize = 32;

/// Header flag of `str`: every byte is ASCII (index by byte).
pub const FLAG_ASCII: u64 = 1 << 9;
/// Header flag of user classes: the class derives from `BaseException`.
pub const FLAG_EXC: u64 = 1 << 10;
/// Header flag of `dict`: a module's globals (a new key bumps
/// `Vm::globals_gen`, which the `LoadGlobal` builtin cache checks).
pub const FLAG_GLOBALS: u64 = 1 << 11;
/// Header flag of user classes: the class or a base holds a `property`,
/// `staticmethod` or `classmethod` (attribute access checks the class
/// first; classes without it keep the plain path).
pub const FLAG_DESCR: u64 = 1 << 12;
/// Header flag of instances of user subclasses of `dict` or `list`: value
/// slot 2 (the `args` slot of exceptions) holds the real dict or list
/// their builtin behaviour works on (`Vm::backing`).
pub const FLAG_BACKED: u64 = 1 << 13;
/// Header flag of user classes: the class or a base defines `__setattr__`
/// (attribute stores on its instances call it).
pub const FLAG_SETATTR: u64 = 1 << 14;
/// Header flag of user classes: the class and every user base define
/// `__slots__` (without `__dict__`), so its instances take no other
/// attributes (`py-extra`).
pub const FLAG_SLOTS: u64 = 1 << 15;
/// Header flag of user classes: the class or a base defines `__new__`
/// (calling the class calls it; `py-extra`).
#[cfg(feature = "py-extra")]
pub const FLAG_NEW: u64 = 1 << 16;
/// Header flag of big ints: the value is negative (py-extra).
#[cfg(feature = "py-extra")]
pub const FLAG_NEG: u64 = 1 << 9;

/// Object kinds (header bits 0-7).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Kind {
    /// A free block: `[h][next free]`.
    Free = 0,
    /// `[h][byte len][char count][hash][utf-8 bytes...]`.
    Str = 1,
    /// `[h][len][bytes...]`.
    Bytes = 2,
    /// `[h][len][values...]`.
    Tuple = 3,
    /// `[h][items: Array]`.
    List = 4,
    /// Growable value storage: `[h][len][values... up to capacity]`.
    Array = 5,
    /// `[h][count][used entries][entries: Array of (key, value)][index: Raw or None]`.
    Dict = 6,
    /// Same layout as `Dict` (values are `None`).
    Set = 7,
    /// Plain words: `[h][len][words...]` (dict index tables).
    Raw = 8,
    /// `[h][code][globals][defaults][kwdefaults][closure][class]` (the
    /// module a function runs in is its code object's).
    Func = 9,
    /// `[h][value]`.
    Cell = 10,
    /// `[h][name][base][dict]`.
    Class = 11,
    /// `[h][class][dict][args][cause][traceback]`.
    Inst = 12,
    /// `[h][function][self]`.
    Bound = 13,
    /// `[h][start][stop][step]` (raw i64 words).
    Range = 14,
    /// `[h][start][stop][step]`.
    Slice = 15,
    /// `[h][iterator kind][position][source][a][b]`.
    Iter = 16,
    /// A package module: `[h][index][name][globals]`.
    Module = 17,
    /// `[h][class][self]`.
    Super = 18,
    /// A builtin method bound to its object: `[h][self][method marker]`.
    NativeBound = 19,
    /// An `int` outside the i64 range (py-extra): `[h][digit count][u32
    /// digits of the magnitude, two per word, least significant first]`,
    /// the sign in [`FLAG_NEG`]. See `vm::bigint`.
    #[cfg(feature = "py-extra")]
    BigInt = 20,
}

impl Kind {
    fn from_u8(b: u8) -> Kind {
        use Kind::*;
        match b {
            1 => Str,
            2 => Bytes,
            3 => Tuple,
            4 => List,
            5 => Array,
            6 => Dict,
            7 => Set,
            8 => Raw,
            9 => Func,
            10 => Cell,
            11 => Class,
            12 => Inst,
            13 => Bound,
            14 => Range,
            15 => Slice,
            16 => Iter,
            17 => Module,
            18 => Super,
            19 => NativeBound,
            #[cfg(feature = "py-extra")]
            20 => BigInt,
            _ => Free,
        }
    }
}

/// `(raw words after the header, value slots)`; `None` slots means "the
/// count is in raw word 0" (tuples, arrays).
pub fn layout(kind: Kind) -> (usize, Option<usize>) {
    use Kind::*;
    match kind {
        Free | Str | Bytes | Raw | Range => (0, Some(0)),
        #[cfg(feature = "py-extra")]
        BigInt => (0, Some(0)),
        Tuple | Array => (1, None),
        List => (0, Some(1)),
        Dict | Set => (2, Some(2)),
        Func => (1, Some(5)),
        Cell => (0, Some(1)),
        Class => (0, Some(3)),
        Inst => (0, Some(5)),
        Bound | Super | NativeBound => (0, Some(2)),
        Slice => (0, Some(3)),
        Iter => (2, Some(3)),
        Module => (1, Some(2)),
    }
}

/// Words of a fixed-layout object of `kind`, header included.
pub fn fixed_words(kind: Kind) -> usize {
    let (raw, n) = layout(kind);
    1 + raw + 2 * n.unwrap_or(0)
}

/// The arena and its allocator.
pub struct Heap<'a> {
    w: &'a mut [u64],
    top: usize,
    /// Start of the large-object region `[hi, limit)`, growing down.
    hi: usize,
    /// First-fit list of free blocks in the large-object region.
    large_hi: u32,
    limit: usize,
    small: [u32; SMALL + 1],
    /// Bit `s` set when `small[s]` may be non-empty (skips empty lists).
    small_mask: u64,
    large: u32,
    /// Words handed out since the last collection.
    since_gc: usize,
    /// Collect when `since_gc` passes this.
    threshold: usize,
    /// Words in live objects after the last collection (or allocated, before any).
    live: usize,
    /// Highest `top` (plus frame reservation) seen, in words.
    pub peak: usize,
    /// Set when a collection is due at the next safe point.
    pub gc_wanted: bool,
    /// Words reserved for interpreter frames.
    pub frames: usize,
    /// Words held in the free lists.
    free_listed: usize,
}

/// A heap copied out between two phases of an invocation: the words in use
/// at both ends of the arena (the bump region and the large-object region)
/// and the allocator's state. Restored into an arena of the same size it
/// gives an identical heap: references are word offsets, so every object
/// and free list is where it was.
#[cfg(feature = "std")]
#[derive(Clone)]
pub struct HeapImage {
    low: alloc::vec::Vec<u64>,
    high: alloc::vec::Vec<u64>,
    top: usize,
    hi: usize,
    large_hi: u32,
    limit: usize,
    small: [u32; SMALL + 1],
    small_mask: u64,
    large: u32,
    since_gc: usize,
    threshold: usize,
    live: usize,
    peak: usize,
    free_listed: usize,
}

#[cfg(feature = "std")]
impl HeapImage {
    /// Bytes of arena it holds.
    pub fn bytes(&self) -> usize {
        (self.low.len() + self.high.len()) * 8
    }
}

const MIN_THRESHOLD: usize = 32 * 1024; // words (256 KiB)
/// Objects of at least this many words go to the large-object region.
const LARGE_MIN: usize = 256;
const MAX_THRESHOLD: usize = 4 * 1024 * 1024; // words (32 MiB)

impl<'a> Heap<'a> {
    /// Use `arena` as the heap. O(1): nothing is zeroed.
    pub fn new(arena: &'a mut [u8]) -> Heap<'a> {
        // SAFETY: every bit pattern is a valid u64; `align_to_mut` only
        // reinterprets the aligned middle part of the byte slice.
        let (_, words, _) = unsafe { arena.align_to_mut::<u64>() };
        let n = words.len().min(u32::MAX as usize);
        let (words, _) = words.split_at_mut(n);
        let limit = words.len();
        let threshold = (limit / 4).max(MIN_THRESHOLD.min(limit / 2));
        Heap {
            w: words,
            top: 1,
            hi: limit,
            large_hi: 0,
            limit,
            small: [0; SMALL + 1],
            small_mask: 0,
            large: 0,
            since_gc: 0,
            threshold,
            live: 0,
            peak: 1,
            gc_wanted: false,
            frames: 0,
            free_listed: 0,
        }
    }

    /// Total words of the arena.
    pub fn capacity(&self) -> usize {
        self.w.len()
    }

    /// Read word `i` (0 when out of range: verified code never is).
    #[inline]
    pub fn get(&self, i: usize) -> u64 {
        self.w.get(i).copied().unwrap_or(0)
    }

    /// Write word `i` (ignored when out of range).
    #[inline]
    pub fn set(&mut self, i: usize, v: u64) {
        if let Some(s) = self.w.get_mut(i) {
            *s = v;
        }
    }

    /// The value slot at words `i, i+1`. Always inlined: returned through
    /// memory, the value's two word stores followed by the caller's
    /// 16-byte reload stall store forwarding.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    #[cfg_attr(not(target_pointer_width = "64"), inline)]
    pub fn val(&self, i: usize) -> Value {
        Value::decode(self.get(i), self.get(i + 1))
    }

    /// Store a value slot at words `i, i+1`.
    #[inline]
    pub fn set_val(&mut self, i: usize, v: Value) {
        let (t, p) = v.encode();
        self.set(i, t);
        self.set(i + 1, p);
    }

    /// Kind of the object at `r`.
    #[inline]
    pub fn kind(&self, r: Ref) -> Kind {
        Kind::from_u8(self.get(r as usize) as u8)
    }

    /// Header word of `r`.
    #[inline]
    pub fn header(&self, r: Ref) -> u64 {
        self.get(r as usize)
    }

    /// Set header flag bits of `r`.
    pub fn add_flags(&mut self, r: Ref, flags: u64) {
        let h = self.get(r as usize);
        self.set(r as usize, h | flags);
    }

    /// Size in words of the object at `r`.
    #[inline]
    pub fn size(&self, r: Ref) -> usize {
        (self.get(r as usize) >> 32) as usize
    }

    /// Bytes of a `str`/`bytes`-like region: `len` bytes starting at word `at`.
    pub fn bytes(&self, at: usize, len: usize) -> &[u8] {
        let words = len.div_ceil(8);
        match self.w.get(at..at + words) {
            Some(ws) => {
                // SAFETY: u64 words viewed as bytes; length within the slice.
                let all: &[u8] =
                    unsafe { core::slice::from_raw_parts(ws.as_ptr().cast::<u8>(), ws.len() * 8) };
                all.get(..len).unwrap_or(&[])
            }
            None => &[],
        }
    }

    /// Mutable bytes region, like [`Heap::bytes`].
    pub fn bytes_mut(&mut self, at: usize, len: usize) -> &mut [u8] {
        let words = len.div_ceil(8);
        match self.w.get_mut(at..at + words) {
            Some(ws) => {
                // SAFETY: as in `bytes`; the borrow is exclusive.
                let all: &mut [u8] = unsafe {
                    core::slice::from_raw_parts_mut(ws.as_mut_ptr().cast::<u8>(), ws.len() * 8)
                };
                let n = all.len().min(len);
                all.get_mut(..n).unwrap_or(&mut [])
            }
            None => &mut [],
        }
    }

    /// Move `n` words from `src` to `dst` (overlap allowed, like
    /// `memmove`). Returns false, moving nothing, when either range leaves
    /// the arena.
    pub fn move_words(&mut self, src: usize, dst: usize, n: usize) -> bool {
        let len = self.w.len();
        if src.saturating_add(n) > len || dst.saturating_add(n) > len {
            return false;
        }
        self.w.copy_within(src..src + n, dst);
        true
    }

    /// Copy `len` bytes from the start of word `src` to byte offset `off`
    /// of word `dst` (a `str` body into another one being built). Returns
    /// false, copying nothing, when either range leaves the arena.
    pub fn copy_bytes(&mut self, src: usize, dst: usize, off: usize, len: usize) -> bool {
        // SAFETY: the arena's u64 words viewed as bytes; the borrow is exclusive.
        let all: &mut [u8] = unsafe {
            core::slice::from_raw_parts_mut(self.w.as_mut_ptr().cast::<u8>(), self.w.len() * 8)
        };
        let (s, d) = (
            src.saturating_mul(8),
            dst.saturating_mul(8).saturating_add(off),
        );
        if s.saturating_add(len) > all.len() || d.saturating_add(len) > all.len() {
            return false;
        }
        all.copy_within(s..s + len, d);
        true
    }

    /// A copy of the heap: the words in use at both ends and the
    /// allocator's state (see [`HeapImage`]). Only between invocations'
    /// phases: no frame may hold a reservation.
    #[cfg(feature = "std")]
    pub fn image(&self) -> HeapImage {
        HeapImage {
            low: self
                .w
                .get(..self.top)
                .map(<[u64]>::to_vec)
                .unwrap_or_default(),
            high: self
                .w
                .get(self.hi..self.limit)
                .map(<[u64]>::to_vec)
                .unwrap_or_default(),
            top: self.top,
            hi: self.hi,
            large_hi: self.large_hi,
            limit: self.limit,
            small: self.small,
            small_mask: self.small_mask,
            large: self.large,
            since_gc: self.since_gc,
            threshold: self.threshold,
            live: self.live,
            peak: self.peak,
            free_listed: self.free_listed,
        }
    }

    /// Make this heap the one `img` was taken of. False (and nothing
    /// changed) when this arena is not the size of that one.
    #[cfg(feature = "std")]
    pub fn restore(&mut self, img: &HeapImage) -> bool {
        if img.limit != self.limit || self.frames != 0 {
            return false;
        }
        let fits = |r: Option<&[u64]>, part: &[u64]| r.is_some_and(|w| w.len() == part.len());
        if !fits(self.w.get(..img.top), &img.low) || !fits(self.w.get(img.hi..img.limit), &img.high)
        {
            return false;
        }
        if let Some(w) = self.w.get_mut(..img.top) {
            w.copy_from_slice(&img.low);
        }
        if let Some(w) = self.w.get_mut(img.hi..img.limit) {
            w.copy_from_slice(&img.high);
        }
        self.top = img.top;
        self.hi = img.hi;
        self.large_hi = img.large_hi;
        self.small = img.small;
        self.small_mask = img.small_mask;
        self.large = img.large;
        self.since_gc = img.since_gc;
        self.threshold = img.threshold;
        self.live = img.live;
        self.peak = img.peak;
        self.gc_wanted = false;
        self.free_listed = img.free_listed;
        true
    }

    /// Words in use (allocated, live or not yet collected, plus frame
    /// reservations), for reports.
    #[allow(dead_code)]
    pub fn used_words(&self) -> usize {
        (self.top + (self.limit - self.hi)).saturating_sub(self.free_listed) + self.frames
    }

    fn note_peak(&mut self) {
        let u = (self.top + (self.limit - self.hi)).saturating_sub(self.free_listed) + self.frames;
        if u > self.peak {
            self.peak = u;
        }
    }

    /// Free words not promised to frames: the bump region plus the free
    /// lists, minus frame reservations.
    #[inline]
    pub fn available(&self) -> usize {
        (self.hi.saturating_sub(self.top) + self.free_listed).saturating_sub(self.frames)
    }

    /// Reserve `words` for a frame; false if they do not fit.
    #[inline]
    pub fn reserve_frame(&mut self, words: usize) -> bool {
        if words > self.available() {
            return false;
        }
        self.frames += words;
        self.note_peak();
        true
    }

    /// Give back a frame reservation.
    pub fn release_frame(&mut self, words: usize) {
        self.frames = self.frames.saturating_sub(words);
    }

    /// Allocate an object of `kind` with `words` words (header included,
    /// at least 2). Never collects. `None` when the arena is full.
    pub fn alloc(&mut self, kind: Kind, words: usize) -> Option<Ref> {
        let words = words.max(2);
        if words > u32::MAX as usize || words > self.available() {
            return None;
        }
        let at = self.take(words)?;
        self.note_peak();
        self.set(at, (kind as u64) | ((words as u64) << 32));
        self.since_gc += words;
        if self.since_gc > self.threshold || self.available() < self.limit / 4 {
            self.gc_wanted = true;
        }
        Some(at as Ref)
    }

    /// Find `words` free words: recycled blocks first (exact size, then
    /// splitting a larger small block, then first fit in the large list),
    /// the untouched bump region last, so that it stays available for big
    /// objects and the working set stays small.
    fn take(&mut self, words: usize) -> Option<usize> {
        if words >= LARGE_MIN {
            // Large objects live in their own region at the top of the
            // arena, so small objects cannot fragment the space they need.
            if let Some(at) = first_fit(self, true, words) {
                return Some(at);
            }
            if self.hi >= self.top + words {
                self.hi -= words;
                return Some(self.hi);
            }
            return first_fit(self, false, words);
        }
        if words <= SMALL {
            let head = self.small.get(words).copied().unwrap_or(0);
            if head != 0 {
                let next = self.get(head as usize + 1) as u32;
                if let Some(s) = self.small.get_mut(words) {
                    *s = next;
                }
                if next == 0 {
                    self.small_mask &= !(1u64 << words);
                }
                self.free_listed = self.free_listed.saturating_sub(words);
                return Some(head as usize);
            }
            // A larger small block, split (the rest goes back to a list).
            // Only the sizes whose lists are non-empty, smallest first.
            let mut candidates = self.small_mask & (u64::MAX << (words + 2));
            while candidates != 0 {
                let s = candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                let head = self.small.get(s).copied().unwrap_or(0);
                if head == 0 {
                    self.small_mask &= !(1u64 << s);
                }
                if head != 0 {
                    let next = self.get(head as usize + 1) as u32;
                    if let Some(slot) = self.small.get_mut(s) {
                        *slot = next;
                    }
                    if next == 0 {
                        self.small_mask &= !(1u64 << s);
                    }
                    self.free_listed = self.free_listed.saturating_sub(s);
                    self.free_block(head as usize + words, s - words);
                    return Some(head as usize);
                }
            }
        }
        if let Some(at) = first_fit(self, false, words) {
            return Some(at);
        }
        if self.top + words <= self.hi {
            let at = self.top;
            self.top += words;
            return Some(at);
        }
        first_fit(self, true, words)
    }

    fn free_block(&mut self, at: usize, words: usize) {
        self.free_listed += words;
        self.set(at, (words as u64) << 32);
        if words <= SMALL {
            let head = self.small.get(words).copied().unwrap_or(0);
            self.set(at + 1, u64::from(head));
            if let Some(s) = self.small.get_mut(words) {
                *s = at as u32;
                self.small_mask |= 1u64 << words;
            }
        } else if at >= self.hi {
            self.set(at + 1, u64::from(self.large_hi));
            self.large_hi = at as u32;
        } else {
            self.set(at + 1, u64::from(self.large));
            self.large = at as u32;
        }
    }

    /// Mark `roots` (first step of a collection: call it for every root
    /// set, starting with an empty `stack`, then [`Heap::collect`]).
    pub fn mark_roots(&mut self, roots: &[Value], stack: &mut alloc::vec::Vec<Ref>) {
        for &v in roots {
            self.push_mark(v, stack);
        }
    }

    /// Mark everything reachable from the roots marked so far (their
    /// objects are on `stack`, the scratch mark stack the caller keeps to
    /// avoid reallocating), then sweep.
    pub fn collect(&mut self, stack: &mut alloc::vec::Vec<Ref>) {
        while let Some(r) = stack.pop() {
            let kind = self.kind(r);
            let (raw, n) = layout(kind);
            let n = match n {
                Some(n) => n,
                None => (self.get(r as usize + 1) as usize).min(self.size(r).saturating_sub(2) / 2),
            };
            let start = r as usize + 1 + raw;
            for k in 0..n {
                let v = self.val(start + 2 * k);
                self.push_mark(v, stack);
            }
        }
        self.sweep();
    }

    fn push_mark(&mut self, v: Value, stack: &mut alloc::vec::Vec<Ref>) {
        if let Value::Obj(r) = v {
            let h = self.get(r as usize);
            let r_at = r as usize;
            if r != 0
                && (r_at < self.top || (r_at >= self.hi && r_at < self.limit))
                && h & (1 << 8) == 0
            {
                self.set(r as usize, h | (1 << 8));
                stack.push(r);
            }
        }
    }

    fn sweep(&mut self) {
        self.small = [0; SMALL + 1];
        self.small_mask = 0;
        self.large = 0;
        self.large_hi = 0;
        self.free_listed = 0;
        let mut live = 0usize;
        // The large-object region first: a free run at its start gives the
        // words back to the gap between the regions.
        let mut at = self.hi;
        let mut run_start: Option<usize> = None;
        let old_hi = self.hi;
        while at < self.limit {
            let h = self.get(at);
            let size = ((h >> 32) as usize).max(2);
            let alive = h & (1 << 8) != 0 && (h as u8) != 0;
            if alive {
                self.set(at, h & !(1 << 8));
                live += size;
                if let Some(s) = run_start.take() {
                    if s == old_hi {
                        self.hi = at;
                    } else {
                        self.free_block(s, at - s);
                    }
                }
            } else if run_start.is_none() {
                run_start = Some(at);
            }
            at += size;
        }
        if let Some(s) = run_start {
            if s == old_hi {
                self.hi = self.limit;
            } else {
                self.free_block(s, self.limit - s);
            }
        }
        let mut at = 1usize;
        let mut run_start: Option<usize> = None;
        while at < self.top {
            let h = self.get(at);
            let size = ((h >> 32) as usize).max(2);
            let alive = h & (1 << 8) != 0 && (h as u8) != 0;
            if alive {
                self.set(at, h & !(1 << 8));
                live += size;
                if let Some(s) = run_start.take() {
                    self.free_block(s, at - s);
                }
            } else if run_start.is_none() {
                run_start = Some(at);
            }
            at += size;
        }
        if let Some(s) = run_start {
            self.top = s;
        }
        self.live = live;
        self.since_gc = 0;
        // Next collection after allocating as much as is live (at least a
        // slice of the free space): collection cost stays proportional to
        // allocation, and small arenas are not swept needlessly often.
        let free = self.limit.saturating_sub(live);
        self.threshold = live
            .max(free / 2)
            .min(MAX_THRESHOLD.max(live))
            .max(MIN_THRESHOLD.min(free / 2));
        self.gc_wanted = false;
    }

    /// Free-list histogram `(size, count)` and the large list, for debugging.
    #[allow(dead_code)]
    pub fn free_summary(&self) -> alloc::vec::Vec<(usize, usize)> {
        let mut out = alloc::vec::Vec::new();
        for (size, &head) in self.small.iter().enumerate() {
            let mut n = 0;
            let mut cur = head;
            while cur != 0 && n < 10_000 {
                n += 1;
                cur = self.get(cur as usize + 1) as u32;
            }
            if n > 0 {
                out.push((size, n));
            }
        }
        let mut cur = self.large;
        while cur != 0 {
            out.push((self.size(cur), 1_000_000));
            cur = self.get(cur as usize + 1) as u32;
        }
        out
    }

    /// Words in live objects after the last collection.
    #[allow(dead_code)]
    pub fn live_words(&self) -> usize {
        self.live
    }
}

/// First fit in the low (`high == false`) or high large-block list; the
/// remainder of a split block goes back to a free list.
fn first_fit(h: &mut Heap<'_>, high: bool, words: usize) -> Option<usize> {
    let mut prev: u32 = 0;
    let mut cur = if high { h.large_hi } else { h.large };
    while cur != 0 {
        let size = h.size(cur);
        let next = h.get(cur as usize + 1) as u32;
        if size == words || size >= words + 2 {
            if prev != 0 {
                h.set(prev as usize + 1, u64::from(next));
            } else if high {
                h.large_hi = next;
            } else {
                h.large = next;
            }
            h.free_listed = h.free_listed.saturating_sub(size);
            if size > words {
                h.free_block(cur as usize + words, size - words);
            }
            return Some(cur as usize);
        }
        prev = cur;
        cur = next;
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn split_small_blocks_found_through_the_mask_never_overlap() {
        let mut arena = vec![0u8; 64 * 1024];
        let mut h = Heap::new(&mut arena);
        // Fill some 20-word blocks, free them all, then allocate 5-word
        // objects: each must come from splitting a freed block (not the
        // bump region) and no two may overlap.
        let big: Vec<Ref> = (0..8).map(|_| h.alloc(Kind::Raw, 20).unwrap()).collect();
        let top_before = h.top;
        h.collect(&mut Vec::new());
        // Nothing was rooted: the whole run went back to the bump region.
        assert!(h.top <= big[0] as usize + 1);
        let a = h.alloc(Kind::Raw, 20).unwrap();
        let b = h.alloc(Kind::Raw, 20).unwrap();
        // Keep `b` (rooted), free `a`: a 20-word hole below a live block.
        let mut stack = Vec::new();
        h.mark_roots(&[Value::Obj(b)], &mut stack);
        h.collect(&mut stack);
        assert_eq!(h.small_mask & (1 << 20), 1 << 20);
        let x = h.alloc(Kind::Raw, 5).unwrap();
        assert_eq!(x, a, "the 20-word hole is split for a 5-word object");
        let y = h.alloc(Kind::Raw, 5).unwrap();
        assert_eq!(y, a + 5, "the 15-word rest is found through the mask");
        assert_eq!(h.small_mask & (1 << 20), 0, "the emptied list is cleared");
        assert!(top_before >= h.top);
    }

    #[test]
    fn word_and_byte_moves_stay_inside_the_arena() {
        let mut arena = vec![0u8; 1024];
        let mut h = Heap::new(&mut arena);
        let n = h.capacity();
        h.set(1, 11);
        h.set(2, 22);
        assert!(h.move_words(1, 2, 2));
        assert_eq!((h.get(2), h.get(3)), (11, 22));
        assert!(!h.move_words(n - 1, 1, 2));
        assert!(!h.move_words(1, n - 1, 2));
        h.bytes_mut(4, 3).copy_from_slice(b"abc");
        assert!(h.copy_bytes(4, 6, 1, 3));
        assert_eq!(h.bytes(6, 4), b"\0abc");
        assert!(!h.copy_bytes(4, n - 1, 6, 3));
    }
}
