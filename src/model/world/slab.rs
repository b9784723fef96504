//! Recycled slots for short-lived entities (requests in flight, health checks in flight): memory
//! follows what is alive, and no slot is allocated per event once the run is warm.
//!
//! Each slot has a generation that changes when it is freed, so an event scheduled for an earlier
//! occupant (`(slot, generation)`) is recognised as stale and ignored.

use std::ops::{Index, IndexMut};

#[derive(Clone, Copy, Debug)]
struct Entry<T> {
    value: T,
    generation: u32,
    live: bool,
}

/// A table of recycled slots.
#[derive(Debug)]
pub(super) struct Slab<T> {
    entries: Vec<Entry<T>>,
    free: Vec<u32>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            entries: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T: Copy> Slab<T> {
    /// Stores `value` in a free slot; returns the slot.
    #[inline]
    pub fn insert(&mut self, value: T) -> u32 {
        if let Some(i) = self.free.pop() {
            let e = &mut self.entries[i as usize];
            e.value = value;
            e.live = true;
            i
        } else {
            self.entries.push(Entry {
                value,
                generation: 0,
                live: true,
            });
            (self.entries.len() - 1) as u32
        }
    }

    /// Frees a slot: events for its occupant become stale.
    #[inline]
    pub fn remove(&mut self, i: u32) {
        let e = &mut self.entries[i as usize];
        e.generation = e.generation.wrapping_add(1);
        e.live = false;
        self.free.push(i);
    }

    /// The generation of the slot's current occupant.
    #[inline]
    pub fn generation(&self, i: u32) -> u32 {
        self.entries[i as usize].generation
    }

    /// Whether `(i, generation)` still names the slot's occupant.
    #[inline]
    pub fn is_live(&self, i: u32, generation: u32) -> bool {
        self.entries[i as usize].generation == generation
    }

    /// Every occupied slot and a copy of its value, in slot order (for rare sweeps: faults,
    /// deregistration cut-offs). The values are copied so the caller may change the slab.
    pub fn occupied(&self) -> impl Iterator<Item = (u32, T)> + '_ {
        (self.entries.iter().enumerate())
            .filter(|(_, e)| e.live)
            .map(|(i, e)| (i as u32, e.value))
    }

    /// Number of slots ever allocated (live or free).
    pub fn capacity(&self) -> u32 {
        self.entries.len() as u32
    }

    /// Whether slot `i` is occupied.
    pub fn is_occupied(&self, i: u32) -> bool {
        self.entries[i as usize].live
    }
}

impl<T> Index<u32> for Slab<T> {
    type Output = T;

    #[inline(always)]
    fn index(&self, i: u32) -> &T {
        &self.entries[i as usize].value
    }
}

impl<T> IndexMut<u32> for Slab<T> {
    #[inline(always)]
    fn index_mut(&mut self, i: u32) -> &mut T {
        &mut self.entries[i as usize].value
    }
}

#[cfg(test)]
mod tests {
    use super::Slab;

    #[test]
    fn a_freed_slot_is_reused_with_a_new_generation() {
        let mut s = Slab::default();
        let a = s.insert(1u8);
        let g = s.generation(a);
        s.remove(a);
        assert!(!s.is_live(a, g));
        let b = s.insert(2u8);
        assert_eq!(a, b);
        assert!(s.is_live(b, s.generation(b)));
        assert_ne!(s.generation(b), g);
        assert_eq!(s[b], 2);
    }

    #[test]
    fn occupied_lists_only_live_slots_in_order() {
        let mut s = Slab::default();
        let (a, b, c) = (s.insert('a'), s.insert('b'), s.insert('c'));
        s.remove(b);
        let live: Vec<_> = s.occupied().collect();
        assert_eq!(live, [(a, 'a'), (c, 'c')]);
        assert!(s.is_occupied(a) && !s.is_occupied(b));
        assert_eq!(s.capacity(), 3);
    }
}
