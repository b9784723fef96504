//! Warnings about messaging: settings that are valid but almost certainly not meant (messages
//! that no worker receives, work that outlasts its visibility timeout). Each is certain from the
//! settings alone, never a guess about the run.

use super::super::path::JsonPath;
use super::super::{Scenario, Warning};
use crate::engine::SimDuration;
use crate::model::distribution::Distribution;
use crate::model::sqs::{Destination, Endpoint};

/// Every messaging warning of `sc`, in model order, added to `out`. `sc.messaging` holds one
/// entry per written queue, topic, subscription, producer and consumer (it resolved).
pub(in crate::scenario) fn warnings(sc: &Scenario, out: &mut Vec<Warning>) {
    let m = &sc.messaging;
    let root = JsonPath::root();
    let mut fed = vec![false; m.queues.len()];
    let mut feed = |d: Destination| match d {
        Destination::Queue(q) => fed[q.index()] = true,
        Destination::Topic(t) => {
            for s in &m.topics[t.index()].subscriptions {
                if let Endpoint::Queue(q) = s.endpoint {
                    fed[q.index()] = true;
                }
            }
        }
    };
    m.producers.iter().for_each(|p| feed(p.destination));
    sc.clients
        .iter()
        .flat_map(|c| c.types.iter())
        .flat_map(|t| t.messages.iter())
        .for_each(|r| feed(r.destination));
    let mut polled = vec![false; m.queues.len()];
    for c in &m.consumers {
        polled[c.queue.index()] = true;
    }
    for (i, q) in m.queues.iter().enumerate() {
        let at = root.key("queues").index(i);
        if fed[i] && !polled[i] {
            warn(
                out,
                at.clone(),
                format!(
                    "messages are sent to queue {:?} but no consumer polls it: they pile up until its MessageRetentionPeriod ({}) deletes them",
                    q.name,
                    words(q.retention)
                ),
            );
        }
        if let Some(r) = q.redrive {
            let dlq = &m.queues[r.dead_letter_queue.index()];
            if !q.fifo && dlq.retention <= q.retention {
                warn(
                    out,
                    at.key("RedrivePolicy").key("deadLetterTargetArn"),
                    format!(
                        "dead-letter queue {:?} keeps messages for {}, not longer than this queue's {}: a standard queue's message keeps its original enqueue time when it moves, so it can expire in the dead-letter queue soon after; AWS advises a longer MessageRetentionPeriod for the dead-letter queue",
                        dlq.name,
                        words(dlq.retention),
                        words(q.retention)
                    ),
                );
            }
        }
    }
    for (i, c) in m.consumers.iter().enumerate() {
        let at = root.key("consumers").index(i);
        let q = &m.queues[c.queue.index()];
        match c.heartbeat {
            None => {
                let mean = c.processing_time.mean_ns();
                if mean > q.visibility_timeout.0 as f64 {
                    let on_average = match c.processing_time {
                        Distribution::Constant { .. } => "",
                        _ => " on average",
                    };
                    warn(
                        out,
                        at.key("processing_time"),
                        format!(
                            "consumer {:?} takes {}{on_average} to process a message, longer than the VisibilityTimeout of queue {:?} ({}), and has no heartbeat: messages will reappear and be processed more than once: raise VisibilityTimeout above the processing time's p99 or add a heartbeat",
                            c.name,
                            words(SimDuration(mean as u64)),
                            q.name,
                            words(q.visibility_timeout)
                        ),
                    );
                }
            }
            Some(h) if h.interval >= h.visibility_timeout => {
                warn(
                    out,
                    at.key("heartbeat").key("interval"),
                    format!(
                        "the heartbeat sets a VisibilityTimeout of {} but is called only every {}: the message becomes visible between calls and is received again; use an interval below {}",
                        words(h.visibility_timeout),
                        words(h.interval),
                        words(h.visibility_timeout)
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

fn warn(out: &mut Vec<Warning>, at: JsonPath, message: String) {
    out.push(Warning {
        path: at.to_string(),
        message,
    });
}

fn words(d: SimDuration) -> String {
    super::checks::words(std::time::Duration::from_nanos(d.0))
}
