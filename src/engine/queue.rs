//! The future-event list: a binary heap ordered by `(time, sequence)`.
//!
//! Why the sequence number: many events share a timestamp (a metrics tick and an arrival, two
//! completions on a `constant` service time). Popping them in the order they were *scheduled* makes
//! the run independent of heap internals, so the same model and seed give the same run everywhere.
//!
//! Cancellation is not done here. An entity that may make its own pending event moot (a target whose
//! next completion moves earlier, a timer that is re-armed) keeps a generation counter, puts it in
//! the event, and ignores the event on pop if the counter has moved on: no heap search, O(1).

use super::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One scheduled event with its ordering key.
#[derive(Debug)]
struct Entry<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest `(time, seq)` first.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A deterministic priority queue of events of type `E`.
///
/// ```
/// use albsim::engine::{EventQueue, SimTime};
/// let mut q = EventQueue::new();
/// q.schedule(SimTime(20), "late");
/// q.schedule(SimTime(10), "first");
/// q.schedule(SimTime(10), "second"); // same time: scheduling order wins
/// assert_eq!(q.pop(), Some((SimTime(10), "first")));
/// assert_eq!(q.pop(), Some((SimTime(10), "second")));
/// assert_eq!(q.pop(), Some((SimTime(20), "late")));
/// assert_eq!(q.pop(), None);
/// ```
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::with_capacity(64)
    }

    /// An empty queue with room for `n` events before it reallocates.
    pub fn with_capacity(n: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(n),
            next_seq: 0,
        }
    }

    /// Schedules `event` at `time`. Events at equal times pop in the order they were scheduled.
    #[inline]
    pub fn schedule(&mut self, time: SimTime, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    /// The time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| e.time)
    }

    /// Number of pending events (cancelled ones included until they are popped).
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_fifo_on_ties() {
        let mut q = EventQueue::new();
        let times = [5u64, 1, 5, 3, 1, 5, 0];
        for (i, t) in times.iter().enumerate() {
            q.schedule(SimTime(*t), i);
        }
        let mut out = Vec::new();
        while let Some((t, i)) = q.pop() {
            out.push((t.0, i));
        }
        assert_eq!(
            out,
            vec![(0, 6), (1, 1), (1, 4), (3, 3), (5, 0), (5, 2), (5, 5)]
        );
    }

    #[test]
    fn interleaved_schedule_and_pop_keeps_order() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(10), 'a');
        q.schedule(SimTime(10), 'b');
        assert_eq!(q.pop(), Some((SimTime(10), 'a')));
        q.schedule(SimTime(10), 'c'); // scheduled later, same time: after 'b'
        assert_eq!(q.pop(), Some((SimTime(10), 'b')));
        assert_eq!(q.pop(), Some((SimTime(10), 'c')));
        assert!(q.is_empty());
    }
}
