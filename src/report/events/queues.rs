//! SQS: a message redelivered after its visibility timeout is a span (its previous receive to
//! the redelivery); the told moves to a dead-letter queue are one span; expiry, throttling and
//! work lost with a worker are moments.

use super::Story;
use super::words::{clock, count, duration};
use crate::recorder::{ActivityKind, QueueActivity};
use crate::report::document::Mark;

/// Tells line `i`, a queue event.
pub(super) fn tell(s: &mut Story, i: usize) {
    let a = &s.acts[i];
    let ActivityKind::Queue(q) = &a.kind else {
        return;
    };
    let (t, queue) = (a.time_seconds, a.subject.clone());
    let (start, label, text) = match q {
        QueueActivity::FirstRedelivery {
            message,
            receive_count,
            visibility_timeout_seconds,
            since_previous_receive_seconds,
        } => {
            let before = t - since_previous_receive_seconds;
            (
                before,
                Some(format!("{queue} redelivery")),
                format!(
                    "message {message} of {queue} was received at {} but not deleted within its VisibilityTimeout of {}, so it became visible again and was received again at {} (ApproximateReceiveCount {receive_count}); later redeliveries are counted in summary.json",
                    clock(before),
                    duration(*visibility_timeout_seconds),
                    clock(t)
                ),
            )
        }
        QueueActivity::MovedToDeadLetterQueue { .. } => return dead_letters(s, i),
        QueueActivity::RetentionExpired {
            messages,
            retention_seconds,
        } => (
            t,
            Some(format!("{queue} expiry")),
            format!(
                "{} of {queue} deleted: older than its MessageRetentionPeriod of {}; later expiries are counted in summary.json",
                count(*messages, "message was", "messages were"),
                duration(*retention_seconds)
            ),
        ),
        QueueActivity::Throttled { action, limit } => (
            t,
            Some(format!("{action} throttled")),
            format!(
                "{action} on {queue} got ThrottlingException: a FIFO queue takes {limit} calls per second per action, and callers retry after a backoff"
            ),
        ),
        QueueActivity::LostByWorker {
            instance,
            messages,
            why,
        } => (
            t,
            Some(format!("{instance} lost work")),
            format!(
                "{} of {queue} in flight on {instance} ({why}): no worker deletes {}, so {} visible again when the visibility timeout expires",
                count(u64::from(*messages), "message was", "messages were"),
                if *messages == 1 { "it" } else { "them" },
                if *messages == 1 {
                    "it becomes"
                } else {
                    "they become"
                }
            ),
        ),
        QueueActivity::StaleDelete { message, deleted } => (
            t,
            None,
            format!(
                "DeleteMessage of message {message} of {queue} used a stale receipt handle (it was received again since): {}",
                if *deleted {
                    "the message was deleted anyway"
                } else {
                    "the call succeeded but the message stays in the queue"
                }
            ),
        ),
        QueueActivity::VisibilityChangeRejected { message } => (
            t,
            None,
            format!(
                "ChangeMessageVisibility of message {message} of {queue} was rejected: it would reach beyond 12 hours from its receive"
            ),
        ),
        QueueActivity::DuplicateDelivery { message } => (
            t,
            None,
            format!(
                "message {message} of {queue} was delivered again after its delete: SQS standard queues deliver at least once"
            ),
        ),
    };
    let until = (start < t).then_some(t);
    s.add(start, until, Mark::Queue, &queue, label, text, vec![i]);
}

/// The told moves of a queue to its dead-letter queue: one span.
fn dead_letters(s: &mut Story, i: usize) {
    let a = &s.acts[i];
    let (t, queue) = (a.time_seconds, a.subject.clone());
    let mut lines = vec![i];
    let mut dlq = String::new();
    let mut receives = Vec::new();
    let mut last = (t, 0, false);
    for (j, b) in std::iter::once((i, a)).chain(s.after(i)) {
        if b.subject != queue {
            continue;
        }
        if let ActivityKind::Queue(QueueActivity::MovedToDeadLetterQueue {
            receive_count,
            dead_letter_queue,
            total,
            last_told,
            ..
        }) = &b.kind
        {
            if j != i {
                lines.push(j);
            }
            dlq.clone_from(dead_letter_queue);
            receives.push(*receive_count);
            last = (b.time_seconds, *total, *last_told);
            if *last_told {
                break;
            }
        }
    }
    let (end, total, cut) = last;
    let max_receives = receives.iter().max().copied().unwrap_or(0);
    let mut text = format!(
        "{} of {queue} moved to its dead-letter queue {dlq}",
        count(total, "message", "messages")
    );
    if end > t {
        text += &format!(" between {} and {}", clock(t), clock(end));
    }
    text += &format!(
        ": each was received {max_receives} times without being deleted (maxReceiveCount)"
    );
    if cut {
        text += "; later moves are counted in summary.json";
    }
    s.add(
        t,
        (end > t).then_some(end),
        Mark::Queue,
        &queue,
        Some(format!("{queue} → {dlq}")),
        text,
        lines,
    );
}
