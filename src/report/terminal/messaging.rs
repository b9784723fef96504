//! The queue section of the terminal summary: a line or three per SQS queue, one per SNS topic
//! and one per worker program, in AWS's words.

use crate::engine::human::{human_duration, thousands};
use crate::recorder::{ConsumerResult, QueueResult, RunResult, TopicResult};
use std::fmt::Write;

/// The lines of the queue section (nothing for a model without queues, topics or workers).
pub(super) fn lines(o: &mut String, r: &RunResult) {
    for q in &r.queues {
        queue(o, q);
    }
    for t in &r.topics {
        topic(o, t);
    }
    for c in &r.consumers {
        consumer(o, c);
    }
}

/// The label column of the summary (`  sqs        `) and the indent of continuation lines.
const CONTINUED: &str = "             ";

fn queue(o: &mut String, q: &QueueResult) {
    let mut moves = format!(
        "{}: {} sent, {} received ({} redelivered), {} deleted, {} moved to the DLQ, {} expired",
        q.name,
        thousands(q.sent),
        thousands(q.received),
        thousands(q.redelivered),
        thousands(q.deleted),
        thousands(q.moved_to_dlq),
        thousands(q.expired)
    );
    if q.deduplicated > 0 {
        let _ = write!(moves, ", {} deduplicated", thousands(q.deduplicated));
    }
    if q.moved_in > 0 {
        let _ = write!(moves, ", {} moved in (redrive)", thousands(q.moved_in));
    }
    let _ = writeln!(o, "  sqs        {moves}");
    let mut work = format!(
        "{} duplicate processings, {} empty receives",
        thousands(q.duplicate_processings),
        thousands(q.empty_receives)
    );
    for (n, what) in [
        (q.lost_by_workers, "lost with a worker"),
        (q.stale_deletes, "stale-receipt deletes"),
        (q.throttled_calls, "throttled calls"),
        (q.failed_sends, "sends failed (throttled 3 times)"),
        (
            q.rejected_visibility_changes,
            "ChangeMessageVisibility rejected",
        ),
    ] {
        if n > 0 {
            let _ = write!(work, ", {} {what}", thousands(n));
        }
    }
    match &q.message_latency_ms {
        Some(l) => {
            let _ = write!(
                work,
                "; message latency p50 {}, p99 {}",
                duration_ms(l.p50),
                duration_ms(l.p99)
            );
        }
        None => work.push_str("; no message deleted"),
    }
    let _ = writeln!(o, "{CONTINUED}{work}");
    let _ = writeln!(
        o,
        "{CONTINUED}backlog at the end {} visible, {} in flight; max {} visible, {}; ${:.4} ({} requests)",
        thousands(q.visible_at_end),
        thousands(q.in_flight_at_end),
        thousands(q.max_visible),
        if q.max_age_of_oldest_seconds > 0.0 {
            format!(
                "oldest message {}",
                human_duration(q.max_age_of_oldest_seconds)
            )
        } else {
            "empty at every period end".to_string()
        },
        q.cost_usd,
        thousands(q.billed_requests)
    );
}

fn topic(o: &mut String, t: &TopicResult) {
    let _ = writeln!(
        o,
        "  sns        {}: {} published, {} delivered, {} filtered out; ${:.4}",
        t.name,
        thousands(t.published),
        thousands(t.delivered),
        thousands(t.filtered_out),
        t.cost_usd
    );
}

fn consumer(o: &mut String, c: &ConsumerResult) {
    let _ = writeln!(
        o,
        "  workers    {} ({}): {} processed, {} failed, {} deleted; pollers {:.1} % busy, {:.1} CPU-seconds wasted",
        c.name,
        c.queue,
        thousands(c.processed),
        thousands(c.failed),
        thousands(c.deleted),
        100.0 * c.utilisation,
        c.wasted_cpu_seconds
    );
}

/// Milliseconds as `850.0 ms`, or `31.0 s` from a second on (message latencies run from
/// milliseconds to hours).
fn duration_ms(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_switch_to_seconds_from_a_second() {
        assert_eq!(duration_ms(999.94), "999.9 ms");
        assert_eq!(duration_ms(1000.0), "1.0 s");
        assert_eq!(duration_ms(31_000.0), "31.0 s");
    }
}
