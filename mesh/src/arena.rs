//! VM arenas as anonymous memory mappings.
//!
//! A function's arena is as large as its `MemorySize` (up to 10 GiB), but
//! most invocations touch a few pages of it. A fresh anonymous mapping is
//! zero-filled by the kernel page by page on first touch, so only the pages
//! the VM uses become resident, and unmapping returns them at once. A block
//! from the process's allocator promises neither: an allocator that
//! recycles a freed 1 GiB block for the next zeroed request (mimalloc,
//! which the `nanolambda` binary uses, does) writes zeros over all of it,
//! making every page resident and costing a second per invocation.

use memmap2::MmapMut;

/// One arena: zeroed, resident only where touched, unmapped on drop.
#[derive(Default)]
pub struct Arena {
    /// `None` for an empty arena (a mapping cannot be empty).
    map: Option<MmapMut>,
}

impl Arena {
    /// A zeroed arena of `bytes` bytes; an error when the address space
    /// cannot be reserved (the caller reports it, nothing aborts).
    pub fn new(bytes: usize) -> std::io::Result<Arena> {
        if bytes == 0 {
            return Ok(Arena::default());
        }
        Ok(Arena {
            map: Some(MmapMut::map_anon(bytes)?),
        })
    }

    /// Its size in bytes.
    pub fn len(&self) -> usize {
        self.map.as_ref().map_or(0, |m| m.len())
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its bytes.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        match &mut self.map {
            Some(map) => map,
            None => &mut [],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arenas_are_zeroed_and_sized() {
        let mut a = Arena::new(3 * 4096 + 5).unwrap();
        assert_eq!(a.len(), 3 * 4096 + 5);
        assert!(a.bytes_mut().iter().all(|&b| b == 0));
        a.bytes_mut()[7] = 1;
        assert_eq!(a.bytes_mut()[7], 1);
        let mut empty = Arena::new(0).unwrap();
        assert!(empty.is_empty() && empty.bytes_mut().is_empty());
    }
}
