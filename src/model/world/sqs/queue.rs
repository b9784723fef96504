//! One SQS queue's messages and their states (`aws-behavior.md` §12): delayed, visible, in flight
//! (received and not yet deleted or expired), with the queue's timers.
//!
//! - **Standard**: visible messages wait in the order they became visible; a receive takes from
//!   the front (best-effort order). Short polling samples the servers: each visible message is
//!   found with probability `short_poll_sample`.
//! - **FIFO**: messages wait in their message group, in send order; a group with a message in
//!   flight hands out nothing more until that message is deleted or visible again, and a receive
//!   takes as many messages of one group as it can, then the next group.
//! - **Timers**: one heap of "becomes visible at" times (delay ends, visibility timeouts), and one
//!   of send times (retention, `ApproximateAgeOfOldestMessage`). Both drop stale entries lazily and
//!   are compacted when stale ones outnumber live ones, so memory stays proportional to the messages
//!   alive.
//!
//! Nothing here knows pollers or the clock's owner: the world calls in, and acts on what comes
//! back (wake a long-polling consumer, move a message to the dead-letter queue).

use super::super::slab::Slab;
use crate::engine::{RngStream, SimDuration, SimTime};
use crate::model::sqs::{DEDUPLICATION_INTERVAL, MAX_IN_FLIGHT, MAX_VISIBILITY, QueueSpec};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

/// No message group (standard queues).
pub(super) const NO_GROUP: u32 = u32::MAX;

/// Where a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MsgState {
    /// Hidden until `DelaySeconds` pass.
    Delayed,
    /// Can be received.
    Visible,
    /// Received, hidden until its visibility timeout expires or it is deleted.
    InFlight,
}

/// One message in a queue.
#[derive(Clone, Copy, Debug)]
pub(super) struct Message {
    /// `MessageId` (albsim numbers them per queue from 1; a message moved to a dead-letter queue
    /// keeps its id).
    pub id: u64,
    /// `SentTimestamp`: retention and age count from it (a standard queue's dead-letter queue
    /// keeps the original; a FIFO one resets it).
    pub sent: SimTime,
    /// When it was first sent anywhere (end-to-end latency counts from it).
    pub created: SimTime,
    /// What `ApproximateAgeOfOldestMessage` counts from: `SentTimestamp`, or in a dead-letter
    /// queue the time it was moved there.
    pub aged_since: SimTime,
    /// When it was last received.
    pub received_at: SimTime,
    /// When it was received before that (`NEVER` before its second receive).
    pub previous_receive: SimTime,
    /// When it becomes visible (delay end or visibility deadline), while delayed or in flight.
    pub visible_at: SimTime,
    /// Where it is.
    pub state: MsgState,
    /// `ApproximateReceiveCount`.
    pub receive_count: u32,
    /// Message group (FIFO), or [`NO_GROUP`].
    pub group: u32,
    /// Body size \[bytes\].
    pub size: u32,
    /// Processings completed (beyond the first are duplicates).
    pub processed: u32,
    /// Bumped whenever the message becomes visible or its deadline changes: stale timer and
    /// visible-list entries name an older value.
    pub epoch: u32,
}

/// A message handed out by a receive: its slot, the slot's generation and the receipt (the
/// receive count at that receive: a later receive makes it stale).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Receipt {
    /// Slot in the queue's message table.
    pub slot: u32,
    /// Slot generation.
    pub generation: u32,
    /// `ApproximateReceiveCount` at this receive.
    pub receive: u32,
}

/// What a `DeleteMessage` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Deleted {
    /// The message is gone.
    Removed {
        /// End-to-end latency (first send to delete).
        latency: SimDuration,
    },
    /// The receipt was stale (the message was received again since), and the model says such a
    /// delete removes the message anyway.
    StaleRemoved {
        /// End-to-end latency.
        latency: SimDuration,
    },
    /// The receipt was stale and the message was not deleted.
    Stale,
    /// The message no longer exists (deleted, expired or moved).
    Gone,
}

/// What a due timer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fired {
    /// A message became visible (its delay ended, or its visibility timeout expired).
    Visible {
        /// Whether it had been received (a redelivery is coming).
        redelivery: bool,
    },
    /// A message's visibility timeout expired after `maxReceiveCount` receives: the world moves
    /// it to the dead-letter queue (it is still in this queue, in flight, until then).
    ToDeadLetter {
        /// Its slot.
        slot: u32,
    },
    /// Messages outlived the retention period and were deleted.
    Expired {
        /// How many.
        messages: u64,
    },
}

/// A FIFO message group: its messages in send order (those in flight first), and how many are
/// in flight.
#[derive(Clone, Debug, Default)]
struct Group {
    messages: VecDeque<u32>,
    in_flight: u32,
    /// In `ready` (or about to be).
    listed: bool,
}

/// Counters of one metric period (reset by [`QueueState::start_period`]).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct PeriodCounts {
    /// `NumberOfMessagesSent`.
    pub sent: u64,
    /// `NumberOfMessagesReceived`.
    pub received: u64,
    /// `NumberOfMessagesDeleted`.
    pub deleted: u64,
    /// `NumberOfEmptyReceives`.
    pub empty_receives: u64,
    /// Moved to the dead-letter queue.
    pub moved_to_dlq: u64,
}

/// One queue at run time.
#[derive(Debug)]
pub(super) struct QueueState {
    fifo: bool,
    visibility_timeout: SimDuration,
    retention: SimDuration,
    delay: SimDuration,
    max_receive_count: Option<u32>,
    messages: Slab<Message>,
    /// Standard: (slot, epoch) of visible messages in the order they became visible.
    visible: VecDeque<(u32, u32)>,
    /// FIFO: groups, and the groups that can hand out a message now.
    groups: Vec<Group>,
    ready: VecDeque<u32>,
    /// (time, slot, epoch): delay ends and visibility deadlines.
    timers: BinaryHeap<Reverse<(SimTime, u32, u32)>>,
    /// (age key, slot, generation): for the age of the oldest message and retention.
    oldest: BinaryHeap<Reverse<(SimTime, u32, u32)>>,
    /// (SentTimestamp, slot, generation) of messages moved here by a redrive that kept it (a
    /// standard dead-letter queue): their retention runs from before their age key.
    moved: BinaryHeap<Reverse<(SimTime, u32, u32)>>,
    /// FIFO deduplication ids → when their 5-minute interval ends, and the ids in send order.
    dedup: HashMap<u64, SimTime>,
    dedup_order: VecDeque<(SimTime, u64)>,
    next_id: u64,
    /// Per slot, the last message removed from it: (slot generation, processings finished), so
    /// a processing that finishes after its message went knows whether it repeated one.
    tombstones: Vec<(u32, u32)>,
    /// Numbers every change of a message's visibility (queue-wide, so a recycled slot never
    /// repeats an old entry's number).
    epochs: u32,
    /// Messages by state.
    pub visible_count: u64,
    pub in_flight_count: u64,
    pub delayed_count: u64,
    /// This period's counts.
    pub period: PeriodCounts,
}

impl QueueState {
    /// An empty queue with `spec`'s settings; FIFO message groups `0..groups`.
    pub fn new(spec: &QueueSpec, groups: u32) -> QueueState {
        QueueState {
            fifo: spec.fifo,
            visibility_timeout: spec.visibility_timeout,
            retention: spec.retention,
            delay: spec.delay,
            max_receive_count: spec.redrive.map(|r| r.max_receive_count),
            messages: Slab::default(),
            visible: VecDeque::new(),
            groups: vec![Group::default(); if spec.fifo { groups as usize } else { 0 }],
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            oldest: BinaryHeap::new(),
            moved: BinaryHeap::new(),
            dedup: HashMap::new(),
            dedup_order: VecDeque::new(),
            next_id: 1,
            epochs: 0,
            tombstones: Vec::new(),
            visible_count: 0,
            in_flight_count: 0,
            delayed_count: 0,
            period: PeriodCounts::default(),
        }
    }

    fn next_epoch(&mut self) -> u32 {
        self.epochs = self.epochs.wrapping_add(1);
        self.epochs
    }

    /// The message in `slot`.
    pub fn message(&self, slot: u32) -> &Message {
        &self.messages[slot]
    }

    /// Whether `receipt` still names a live message (of any receive).
    pub fn is_live(&self, receipt: Receipt) -> bool {
        self.messages.is_live(receipt.slot, receipt.generation)
    }

    /// Messages not yet deleted.
    pub fn len(&self) -> u64 {
        self.visible_count + self.in_flight_count + self.delayed_count
    }

    /// Whether a receive could find a message now.
    pub fn has_visible(&self) -> bool {
        if self.fifo {
            !self.ready.is_empty()
        } else {
            self.visible_count > 0
        }
    }

    /// `SendMessage` at `now` of a message of `size` bytes in `group`, first created at
    /// `created`; `dedup`: its FIFO deduplication id. Returns false if a FIFO queue dropped it as
    /// a duplicate within 5 minutes (the call still succeeds).
    pub fn send(
        &mut self,
        now: SimTime,
        created: SimTime,
        size: u32,
        group: u32,
        dedup: Option<u64>,
    ) -> bool {
        if let (true, Some(key)) = (self.fifo, dedup) {
            while let Some(&(until, old)) = self.dedup_order.front() {
                if until > now {
                    break;
                }
                self.dedup_order.pop_front();
                if self.dedup.get(&old) == Some(&until) {
                    self.dedup.remove(&old);
                }
            }
            if self.dedup.contains_key(&key) {
                return false;
            }
            let until = now + DEDUPLICATION_INTERVAL;
            self.dedup.insert(key, until);
            self.dedup_order.push_back((until, key));
        }
        let id = self.next_id;
        self.next_id += 1;
        self.period.sent += 1;
        self.insert(
            now,
            Message {
                id,
                sent: now,
                created,
                aged_since: now,
                received_at: SimTime::NEVER,
                previous_receive: SimTime::NEVER,
                visible_at: now + self.delay,
                state: MsgState::Delayed,
                receive_count: 0,
                group: if self.fifo { group } else { NO_GROUP },
                size,
                processed: 0,
                epoch: 0,
            },
        );
        true
    }

    /// A message arrives (sent, or moved here from another queue keeping its id and times).
    fn insert(&mut self, now: SimTime, mut m: Message) {
        m.state = MsgState::Delayed;
        m.epoch = 0;
        let slot = self.messages.insert(m);
        let generation = self.messages.generation(slot);
        self.oldest.push(Reverse((m.aged_since, slot, generation)));
        if m.sent < m.aged_since {
            // Moved here keeping its SentTimestamp: retention counts from that.
            self.moved.push(Reverse((m.sent, slot, generation)));
        }
        if self.fifo {
            let g = m.group as usize;
            if g >= self.groups.len() {
                self.groups.resize(g + 1, Group::default());
            }
            self.groups[g].messages.push_back(slot);
        }
        if m.visible_at <= now {
            self.delayed_count += 1;
            self.make_visible(slot);
        } else {
            self.delayed_count += 1;
            self.timers.push(Reverse((m.visible_at, slot, 0)));
        }
    }

    /// A message moved here from another queue's redrive (a dead-letter queue): visible now.
    /// Standard queues keep its `SentTimestamp`; FIFO queues reset it to now.
    pub fn receive_moved(&mut self, now: SimTime, mut m: Message) {
        if self.fifo {
            m.sent = now;
        }
        m.aged_since = now;
        m.visible_at = now;
        m.receive_count = 0;
        self.insert(now, m);
    }

    /// Takes the message in `slot` out of the queue (for a move to the dead-letter queue).
    pub fn take(&mut self, slot: u32) -> Message {
        let m = self.messages[slot];
        self.remove(slot);
        m
    }

    /// `ReceiveMessage` at `now` of up to `max` messages into `out` (≤ 10); `sample`: short
    /// polling's server sample (probability a visible message is found), with its random stream.
    /// Returns how many were received (the caller counts empty receives: a long poll's wait is
    /// not one).
    pub fn receive(
        &mut self,
        now: SimTime,
        max: usize,
        mut sample: Option<(f64, &mut RngStream)>,
        out: &mut [Receipt],
    ) -> usize {
        let room = (MAX_IN_FLIGHT as u64).saturating_sub(self.in_flight_count) as usize;
        let max = max.min(out.len()).min(room);
        let mut n = 0;
        if self.fifo {
            while n < max {
                let Some(&g) = self.ready.front() else { break };
                if let Some((p, rng)) = sample.as_mut() {
                    // The group's messages sit on one server: the sample may miss it.
                    if rng.uniform() >= *p {
                        break;
                    }
                }
                self.ready.pop_front();
                self.groups[g as usize].listed = false;
                let mut k = 0;
                while n < max {
                    let Some(&slot) = self.groups[g as usize].messages.get(k) else {
                        break;
                    };
                    k += 1;
                    if self.messages[slot].state != MsgState::Visible {
                        break;
                    }
                    out[n] = self.hand_out(now, slot);
                    self.groups[g as usize].in_flight += 1;
                    n += 1;
                }
            }
        } else {
            let mut k = 0;
            let mut seen = 0u64;
            let visible = self.visible_count;
            while n < max && seen < visible {
                let Some(&(slot, epoch)) = self.visible.get(k) else {
                    break;
                };
                k += 1;
                let m = &self.messages[slot];
                if !self.messages.is_occupied(slot)
                    || m.state != MsgState::Visible
                    || m.epoch != epoch
                {
                    continue;
                }
                seen += 1;
                if let Some((p, rng)) = sample.as_mut() {
                    if rng.uniform() >= *p {
                        continue;
                    }
                }
                out[n] = self.hand_out(now, slot);
                n += 1;
            }
            self.trim_visible();
        }
        n
    }

    /// Marks `slot` received now.
    fn hand_out(&mut self, now: SimTime, slot: u32) -> Receipt {
        let deadline = now + self.visibility_timeout;
        let epoch = self.next_epoch();
        let m = &mut self.messages[slot];
        m.state = MsgState::InFlight;
        m.receive_count += 1;
        m.previous_receive = m.received_at;
        m.received_at = now;
        m.visible_at = deadline;
        m.epoch = epoch;
        let (receive, epoch) = (m.receive_count, m.epoch);
        self.visible_count -= 1;
        self.in_flight_count += 1;
        self.period.received += 1;
        self.timers.push(Reverse((deadline, slot, epoch)));
        self.compact_timers();
        Receipt {
            slot,
            generation: self.messages.generation(slot),
            receive,
        }
    }

    /// `DeleteMessage` at `now` with `receipt`; `stale_deletes`: whether a stale receipt deletes
    /// anyway.
    pub fn delete(&mut self, now: SimTime, receipt: Receipt, stale_deletes: bool) -> Deleted {
        if !self.is_live(receipt) {
            return Deleted::Gone;
        }
        let m = self.messages[receipt.slot];
        if m.receive_count != receipt.receive && !stale_deletes {
            return Deleted::Stale;
        }
        self.remove(receipt.slot);
        self.period.deleted += 1;
        let latency = now.since(m.created);
        if m.receive_count != receipt.receive {
            Deleted::StaleRemoved { latency }
        } else {
            Deleted::Removed { latency }
        }
    }

    /// `ChangeMessageVisibility` at `now` to `timeout` (counted from now). False if rejected:
    /// beyond 12 hours from the receive, or the receipt is stale or the message gone or not in
    /// flight.
    pub fn change_visibility(
        &mut self,
        now: SimTime,
        receipt: Receipt,
        timeout: SimDuration,
    ) -> bool {
        if !self.is_live(receipt) {
            return false;
        }
        let epoch = self.next_epoch();
        let m = &mut self.messages[receipt.slot];
        if m.receive_count != receipt.receive || m.state != MsgState::InFlight {
            return false;
        }
        let deadline = now + timeout;
        if deadline > m.received_at + MAX_VISIBILITY {
            return false;
        }
        m.visible_at = deadline;
        m.epoch = epoch;
        self.timers.push(Reverse((deadline, receipt.slot, epoch)));
        self.compact_timers();
        true
    }

    /// Counts one more processing of the message `receipt` names; true if it had been processed
    /// before (a duplicate).
    pub fn processed(&mut self, receipt: Receipt) -> bool {
        if !self.is_live(receipt) {
            // Gone meanwhile (deleted by another receipt, expired, moved): it was a duplicate if
            // a processing had finished before it went.
            let Some(t) = self.tombstones.get_mut(receipt.slot as usize) else {
                return false;
            };
            if t.0 != receipt.generation {
                return false;
            }
            t.1 += 1;
            return t.1 > 1;
        }
        let m = &mut self.messages[receipt.slot];
        m.processed += 1;
        m.processed > 1
    }

    /// The earliest timer (`NEVER` if none): a delay end, a visibility deadline, or a retention
    /// expiry.
    pub fn next_due(&mut self) -> SimTime {
        while let Some(&Reverse((_, slot, epoch))) = self.timers.peek() {
            if self.timer_is_live(slot, epoch) {
                break;
            }
            self.timers.pop();
        }
        let timer = self.timers.peek().map_or(SimTime::NEVER, |r| r.0.0);
        timer.min(self.retention_due())
    }

    /// When the next message outlives the retention period, and its slot.
    fn retention_next(&mut self) -> (SimTime, u32) {
        let messages = &self.messages;
        let earliest = |heap: &mut BinaryHeap<Reverse<(SimTime, u32, u32)>>| {
            while let Some(&Reverse((_, slot, generation))) = heap.peek() {
                if messages.is_live(slot, generation) {
                    break;
                }
                heap.pop();
            }
            heap.peek().map(|&Reverse((t, slot, _))| (t, slot))
        };
        // `oldest` holds every message by its age key; for a message moved here that is later
        // than its SentTimestamp, which `moved` holds.
        let a = earliest(&mut self.oldest);
        let b = earliest(&mut self.moved);
        match a.into_iter().chain(b).min() {
            Some((sent, slot)) => (SimTime(sent.0.saturating_add(self.retention.0)), slot),
            None => (SimTime::NEVER, 0),
        }
    }

    fn retention_due(&mut self) -> SimTime {
        self.retention_next().0
    }

    fn timer_is_live(&self, slot: u32, epoch: u32) -> bool {
        self.messages.is_occupied(slot) && {
            let m = &self.messages[slot];
            m.state != MsgState::Visible && m.epoch == epoch
        }
    }

    /// Runs every timer due by `now`, reporting each outcome to `on`.
    pub fn fire(&mut self, now: SimTime, mut on: impl FnMut(Fired)) {
        let mut expired = 0u64;
        loop {
            let due = self.next_due();
            if due > now {
                break;
            }
            let (retention, slot) = self.retention_next();
            if retention <= now {
                self.remove(slot);
                expired += 1;
                continue;
            }
            let Reverse((_, slot, _)) = self.timers.pop().expect("a due timer");
            let m = self.messages[slot];
            match m.state {
                MsgState::Delayed => {
                    self.make_visible(slot);
                    on(Fired::Visible { redelivery: false });
                }
                MsgState::InFlight => {
                    if self
                        .max_receive_count
                        .is_some_and(|max| m.receive_count >= max)
                    {
                        // Park it where no receive finds it until the world moves it.
                        let epoch = self.next_epoch();
                        let m = &mut self.messages[slot];
                        m.epoch = epoch;
                        on(Fired::ToDeadLetter { slot });
                    } else {
                        self.in_flight_to_visible(slot);
                        on(Fired::Visible { redelivery: true });
                    }
                }
                MsgState::Visible => unreachable!("visible messages have no live timer"),
            }
        }
        if expired > 0 {
            on(Fired::Expired { messages: expired });
        }
    }

    fn in_flight_to_visible(&mut self, slot: u32) {
        self.in_flight_count -= 1;
        self.delayed_count += 1; // `make_visible` moves it from the delayed count
        let m = &self.messages[slot];
        if self.fifo {
            self.groups[m.group as usize].in_flight -= 1;
        }
        self.make_visible(slot);
    }

    /// Makes a delayed (or just expired) message visible.
    fn make_visible(&mut self, slot: u32) {
        self.delayed_count -= 1;
        self.visible_count += 1;
        let epoch = self.next_epoch();
        let m = &mut self.messages[slot];
        m.state = MsgState::Visible;
        m.epoch = epoch;
        let (group, epoch) = (m.group, m.epoch);
        if self.fifo {
            self.list_if_ready(group);
        } else {
            self.visible.push_back((slot, epoch));
        }
    }

    /// FIFO: puts group `g` in the ready list if it can hand out its first message.
    fn list_if_ready(&mut self, g: u32) {
        let group = &self.groups[g as usize];
        if group.listed || group.in_flight > 0 {
            return;
        }
        let Some(&first) = group.messages.front() else {
            return;
        };
        if self.messages[first].state == MsgState::Visible {
            self.groups[g as usize].listed = true;
            self.ready.push_back(g);
        }
    }

    /// Removes a message wherever it is.
    fn remove(&mut self, slot: u32) {
        let m = self.messages[slot];
        let k = slot as usize;
        if self.tombstones.len() <= k {
            self.tombstones.resize(k + 1, (u32::MAX, 0));
        }
        self.tombstones[k] = (self.messages.generation(slot), m.processed);
        match m.state {
            MsgState::Delayed => self.delayed_count -= 1,
            MsgState::Visible => self.visible_count -= 1,
            MsgState::InFlight => self.in_flight_count -= 1,
        }
        self.messages.remove(slot);
        if self.fifo {
            let g = m.group as usize;
            if m.state == MsgState::InFlight {
                self.groups[g].in_flight -= 1;
            }
            let group = &mut self.groups[g];
            if let Some(k) = group.messages.iter().position(|&s| s == slot) {
                group.messages.remove(k);
            }
            if m.state == MsgState::Visible && group.listed {
                // It may have been the group's first visible message: re-list after a check.
                if group
                    .messages
                    .front()
                    .is_none_or(|&s| self.messages[s].state != MsgState::Visible)
                {
                    group.listed = false;
                    self.ready.retain(|&x| x as usize != g);
                }
            }
            self.list_if_ready(m.group);
        } else {
            self.trim_visible();
        }
        self.compact_oldest();
    }

    /// Drops stale entries at the front of the visible list, and compacts it when stale ones
    /// outnumber the live.
    fn trim_visible(&mut self) {
        while let Some(&(slot, epoch)) = self.visible.front() {
            let live = self.messages.is_occupied(slot) && {
                let m = &self.messages[slot];
                m.state == MsgState::Visible && m.epoch == epoch
            };
            if live {
                break;
            }
            self.visible.pop_front();
        }
        if self.visible.len() as u64 > 2 * self.visible_count + 1024 {
            let messages = &self.messages;
            self.visible.retain(|&(slot, epoch)| {
                messages.is_occupied(slot) && {
                    let m = &messages[slot];
                    m.state == MsgState::Visible && m.epoch == epoch
                }
            });
        }
    }

    fn compact_timers(&mut self) {
        let live = self.in_flight_count + self.delayed_count;
        if self.timers.len() as u64 > 2 * live + 1024 {
            let old = std::mem::take(&mut self.timers).into_vec();
            let kept: Vec<_> = old
                .into_iter()
                .filter(|&Reverse((_, slot, epoch))| self.timer_is_live(slot, epoch))
                .collect();
            self.timers = BinaryHeap::from(kept);
        }
    }

    fn compact_oldest(&mut self) {
        if self.oldest.len() as u64 > 2 * self.len() + 1024 {
            let old = std::mem::take(&mut self.oldest).into_vec();
            let kept: Vec<_> = old
                .into_iter()
                .filter(|&Reverse((_, slot, generation))| self.messages.is_live(slot, generation))
                .collect();
            self.oldest = BinaryHeap::from(kept);
        }
        if self.moved.len() as u64 > 2 * self.len() + 1024 {
            let old = std::mem::take(&mut self.moved).into_vec();
            let kept: Vec<_> = old
                .into_iter()
                .filter(|&Reverse((_, slot, generation))| self.messages.is_live(slot, generation))
                .collect();
            self.moved = BinaryHeap::from(kept);
        }
    }

    /// `ApproximateAgeOfOldestMessage` at `now` \[s\]: the oldest message not yet deleted.
    pub fn age_of_oldest(&mut self, now: SimTime) -> Option<f64> {
        self.retention_due();
        self.oldest
            .peek()
            .map(|&Reverse((sent, ..))| now.since(sent).as_secs_f64())
    }

    /// Starts a new metric period's counts.
    pub fn start_period(&mut self) {
        self.period = PeriodCounts::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sqs::QueueId;
    use crate::model::sqs::RedrivePolicy;

    fn spec(fifo: bool, visibility: u64, max_receive: Option<u32>) -> QueueSpec {
        QueueSpec {
            name: "q".into(),
            fifo,
            content_based_deduplication: false,
            visibility_timeout: SimDuration::from_secs(visibility),
            receive_wait: SimDuration::ZERO,
            retention: SimDuration::from_secs(345_600),
            delay: SimDuration::ZERO,
            maximum_message_size: 262_144,
            redrive: max_receive.map(|n| RedrivePolicy {
                dead_letter_queue: QueueId(1),
                max_receive_count: n,
            }),
            duplicate_probability: 0.0,
            short_poll_sample: 1.0,
        }
    }

    fn s(secs: u64) -> SimTime {
        SimTime::ZERO + SimDuration::from_secs(secs)
    }

    fn receive(q: &mut QueueState, now: SimTime, max: usize) -> Vec<Receipt> {
        let mut out = [Receipt::default(); 10];
        let n = q.receive(now, max, None, &mut out);
        out[..n].to_vec()
    }

    fn fire(q: &mut QueueState, now: SimTime) -> Vec<Fired> {
        let mut fired = Vec::new();
        q.fire(now, |f| fired.push(f));
        fired
    }

    #[test]
    fn an_undeleted_message_is_received_again_every_visibility_timeout() {
        let mut q = QueueState::new(&spec(false, 30, None), 0);
        q.send(s(0), s(0), 100, NO_GROUP, None);
        let first = receive(&mut q, s(0), 1);
        assert_eq!(first.len(), 1);
        assert!(
            receive(&mut q, s(1), 1).is_empty(),
            "hidden while in flight"
        );
        assert_eq!(q.next_due(), s(30));
        assert_eq!(
            fire(&mut q, s(30)),
            vec![Fired::Visible { redelivery: true }]
        );
        let again = receive(&mut q, s(30), 1);
        assert_eq!(q.message(again[0].slot).receive_count, 2);
        // The first receipt is stale now.
        assert_eq!(q.delete(s(31), first[0], false), Deleted::Stale);
        assert_eq!(q.len(), 1);
        assert_eq!(
            q.delete(s(32), again[0], false),
            Deleted::Removed {
                latency: SimDuration::from_secs(32)
            }
        );
        assert_eq!(q.len(), 0);
    }

    #[test]
    fn after_max_receive_count_the_message_goes_to_the_dead_letter_queue() {
        let mut q = QueueState::new(&spec(false, 10, Some(2)), 0);
        q.send(s(0), s(0), 1, NO_GROUP, None);
        receive(&mut q, s(0), 1);
        assert_eq!(
            fire(&mut q, s(10)),
            vec![Fired::Visible { redelivery: true }]
        );
        receive(&mut q, s(10), 1);
        let fired = fire(&mut q, s(20));
        assert!(matches!(fired[..], [Fired::ToDeadLetter { .. }]));
        let Fired::ToDeadLetter { slot } = fired[0] else {
            unreachable!()
        };
        assert!(
            receive(&mut q, s(20), 1).is_empty(),
            "not receivable any more"
        );
        let m = q.take(slot);
        assert_eq!((m.receive_count, q.len()), (2, 0));
        let mut dlq = QueueState::new(&spec(false, 30, None), 0);
        dlq.receive_moved(s(20), m);
        // The age counts from the move (AWS's metric on a dead-letter queue); retention from the
        // original SentTimestamp (standard queues keep it).
        assert_eq!(dlq.age_of_oldest(s(25)), Some(5.0));
        assert_eq!(dlq.next_due(), s(345_600), "retention from the send at 0 s");
    }

    #[test]
    fn change_visibility_counts_from_the_call_and_stops_at_12_hours() {
        let mut q = QueueState::new(&spec(false, 30, None), 0);
        q.send(s(0), s(0), 1, NO_GROUP, None);
        let r = receive(&mut q, s(0), 1)[0];
        assert!(q.change_visibility(s(15), r, SimDuration::from_secs(10)));
        assert_eq!(q.next_due(), s(25));
        assert!(q.change_visibility(s(20), r, SimDuration::from_secs(43_180)));
        assert!(!q.change_visibility(s(21), r, SimDuration::from_secs(43_180)));
    }

    #[test]
    fn delay_hides_new_messages() {
        let mut sp = spec(false, 30, None);
        sp.delay = SimDuration::from_secs(5);
        let mut q = QueueState::new(&sp, 0);
        q.send(s(0), s(0), 1, NO_GROUP, None);
        assert_eq!((q.delayed_count, q.visible_count), (1, 0));
        assert!(receive(&mut q, s(4), 1).is_empty());
        fire(&mut q, s(5));
        assert_eq!(receive(&mut q, s(5), 1).len(), 1);
    }

    #[test]
    fn retention_deletes_old_messages() {
        let mut sp = spec(false, 30, None);
        sp.retention = SimDuration::from_secs(60);
        let mut q = QueueState::new(&sp, 0);
        q.send(s(0), s(0), 1, NO_GROUP, None);
        q.send(s(30), s(30), 1, NO_GROUP, None);
        assert_eq!(q.next_due(), s(60));
        assert_eq!(fire(&mut q, s(60)), vec![Fired::Expired { messages: 1 }]);
        assert_eq!(q.len(), 1);
        assert_eq!(q.age_of_oldest(s(70)), Some(40.0));
    }

    #[test]
    fn fifo_hands_out_nothing_more_of_a_group_with_a_message_in_flight() {
        let mut q = QueueState::new(&spec(true, 30, None), 2);
        for group in [0, 0, 1] {
            q.send(s(0), s(0), 1, group, None);
        }
        let a = receive(&mut q, s(0), 1);
        let b = receive(&mut q, s(0), 1);
        assert_eq!(q.message(a[0].slot).group, 0);
        assert_eq!(q.message(b[0].slot).group, 1, "group 0 is locked");
        assert!(receive(&mut q, s(0), 1).is_empty());
        q.delete(s(1), a[0], false);
        let c = receive(&mut q, s(1), 1);
        assert_eq!(q.message(c[0].slot).id, 2, "in order within the group");
    }

    #[test]
    fn fifo_deduplicates_within_five_minutes() {
        let mut q = QueueState::new(&spec(true, 30, None), 1);
        assert!(q.send(s(0), s(0), 1, 0, Some(7)));
        assert!(!q.send(s(299), s(299), 1, 0, Some(7)));
        assert!(q.send(s(300), s(300), 1, 0, Some(7)));
        assert_eq!(q.len(), 2);
    }

    #[test]
    fn a_queue_holds_at_most_120000_messages_in_flight() {
        let mut q = QueueState::new(&spec(false, 43_200, None), 0);
        for k in 0..120_005u64 {
            q.send(s(0), s(0), 1, NO_GROUP, Some(k));
        }
        let mut received = 0;
        loop {
            let n = receive(&mut q, s(1), 10).len();
            if n == 0 {
                break;
            }
            received += n;
        }
        assert_eq!(received as u32, MAX_IN_FLIGHT);
        assert_eq!((q.in_flight_count, q.visible_count), (120_000, 5));
    }

    #[test]
    fn memory_stays_bounded_when_messages_churn() {
        let mut q = QueueState::new(&spec(false, 30, None), 0);
        for k in 0..100_000u64 {
            q.send(s(k), s(k), 1, NO_GROUP, None);
            let r = receive(&mut q, s(k), 1)[0];
            q.delete(s(k), r, false);
        }
        assert!(q.timers.len() < 3000 && q.oldest.len() < 3000 && q.visible.len() < 3000);
    }
}
