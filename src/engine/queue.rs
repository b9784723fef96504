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

/// The top bit of the order word: clear for `schedule_first` events, set for ordinary ones.
const ORDINARY: u64 = 1 << 63;

/// One scheduled event with its ordering key `time << 64 | seq` (one `u128` comparison orders by
/// time, then by scheduling order).
#[derive(Debug)]
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
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
        other.key.cmp(&self.key)
    }
}

/// A deterministic priority queue of events of type `E`.
///
/// Most events schedule exactly one follow-up (the next arrival, the next completion). [`pop`]
/// therefore leaves the popped entry in place, marked stale, and the next [`schedule`] overwrites
/// it and sifts it down: one heap operation instead of two. The order of events is exactly that
/// of a plain pop-then-push.
///
/// [`pop`]: EventQueue::pop
/// [`schedule`]: EventQueue::schedule
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
    /// The heap's top was returned by `pop` and is to be removed (or overwritten).
    top_is_stale: bool,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::with_capacity(64)
    }

    /// An empty queue with room for `n` events before it reallocates.
    pub fn with_capacity(n: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(n),
            next_seq: 0,
            top_is_stale: false,
        }
    }

    /// Schedules `event` at `time`. Events at equal times pop in the order they were scheduled.
    #[inline]
    pub fn schedule(&mut self, time: SimTime, event: E) {
        self.push(time, ORDINARY | self.next_seq, event);
    }

    /// Schedules `event` at `time` ahead of every ordinary event at that same time (e.g. the end
    /// of a metric period, so that what happens at a boundary counts in the period it starts).
    /// Among themselves, such events keep scheduling order.
    #[inline]
    pub fn schedule_first(&mut self, time: SimTime, event: E) {
        self.push(time, self.next_seq, event);
    }

    #[inline]
    fn push(&mut self, time: SimTime, order: u64, event: E) {
        let key = (u128::from(time.0) << 64) | u128::from(order);
        self.next_seq += 1;
        let entry = Entry { key, event };
        if self.top_is_stale {
            self.top_is_stale = false;
            if let Some(mut top) = self.heap.peek_mut() {
                *top = entry; // sifted down when `top` drops
                return;
            }
        }
        self.heap.push(entry);
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.drop_stale_top();
        let top = self.heap.peek()?;
        self.top_is_stale = true;
        Some((SimTime((top.key >> 64) as u64), top.event))
    }

    #[inline]
    fn drop_stale_top(&mut self) {
        if self.top_is_stale {
            self.top_is_stale = false;
            self.heap.pop();
        }
    }

    /// The time of the earliest event, if any.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        self.drop_stale_top();
        self.heap.peek().map(|e| SimTime((e.key >> 64) as u64))
    }

    /// The pending events due at `time`, in no particular order: a linear scan of the whole
    /// queue, for diagnostics only (it changes nothing, so the run could go on).
    pub fn pending_at(&self, time: SimTime) -> impl Iterator<Item = &E> + '_ {
        // The heap's first element is its top: skip it if `pop` already returned it.
        self.heap
            .iter()
            .skip(usize::from(self.top_is_stale))
            .filter(move |e| (e.key >> 64) as u64 == time.0)
            .map(|e| &e.event)
    }

    /// The pending events due from `from` to `to` (both included), in no particular order: like
    /// [`Self::pending_at`], a linear scan for diagnostics only.
    pub fn pending_between(&self, from: SimTime, to: SimTime) -> impl Iterator<Item = &E> + '_ {
        self.heap
            .iter()
            .skip(usize::from(self.top_is_stale))
            .filter(move |e| (from.0..=to.0).contains(&((e.key >> 64) as u64)))
            .map(|e| &e.event)
    }

    /// Number of pending events (cancelled ones included until they are popped).
    pub fn len(&self) -> usize {
        self.heap.len() - usize::from(self.top_is_stale)
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_at_lists_the_events_due_then_but_not_the_popped_one() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(5), 'a');
        q.schedule(SimTime(5), 'b');
        q.schedule(SimTime(9), 'c');
        assert_eq!(q.pop(), Some((SimTime(5), 'a')));
        let mut due: Vec<char> = q.pending_at(SimTime(5)).copied().collect();
        due.sort_unstable();
        assert_eq!(due, vec!['b']);
        assert_eq!(q.pending_at(SimTime(9)).count(), 1);
        assert_eq!(q.pop(), Some((SimTime(5), 'b')), "scanning changed nothing");
    }

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

    #[test]
    fn schedule_first_goes_ahead_of_ties() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(10), "ordinary");
        q.schedule(SimTime(5), "earlier");
        q.schedule_first(SimTime(10), "boundary");
        q.schedule_first(SimTime(10), "boundary 2");
        let order: Vec<&str> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!["earlier", "boundary", "boundary 2", "ordinary"]);
    }

    /// The replace-top optimisation must give exactly the order of a plain sorted list.
    #[test]
    fn matches_a_reference_order_under_random_use() {
        let mut rng = crate::engine::RngStream::derive(5, "queue-test");
        let mut q = EventQueue::new();
        let mut reference: Vec<(u64, u64, u32)> = Vec::new(); // (time, seq, id)
        let (mut seq, mut now, mut id) = (0u64, 0u64, 0u32);
        for _ in 0..20_000 {
            let pushes = rng.below(3);
            for _ in 0..pushes {
                let t = now + rng.below(50) as u64;
                q.schedule(SimTime(t), id);
                reference.push((t, seq, id));
                seq += 1;
                id += 1;
            }
            reference.sort();
            let expected = (!reference.is_empty()).then(|| reference.remove(0));
            let got = q.pop();
            assert_eq!(got.map(|(t, e)| (t.0, e)), expected.map(|(t, _, e)| (t, e)));
            if let Some((t, _)) = got {
                now = t.0;
            }
            assert_eq!(q.len(), reference.len());
        }
    }
}
