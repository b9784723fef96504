//! SQS queues, SNS topics, producers and worker programs.

use super::super::describe::{arrival, destination, distribution, name_at};
use super::super::format::{Clock, count, duration, number, seconds, share};
use super::{Given, flag, pair, setting};
use crate::model::sqs::{Endpoint, MessageGroups, Placement, QueueSpec, StaleDelete};
use crate::report::document::{Block, Table, Text};
use crate::scenario::Scenario;

/// The messaging settings, when the model has any.
pub(super) fn blocks(s: &Scenario, given: &Given<'_>, clock: Clock) -> Vec<Block> {
    let m = &s.messaging;
    let mut out = Vec::new();
    for q in &m.queues {
        out.push(Block::Heading(format!("SQS queue {}", q.name)));
        out.push(Block::Pairs(queue(
            s,
            q,
            given.find("queues", "QueueName", &q.name),
        )));
    }
    if !m.topics.is_empty() {
        out.push(Block::Heading("SNS topics".into()));
        let mut t = Table::new(
            &[
                "TopicName",
                "Protocol",
                "Endpoint",
                "RawMessageDelivery",
                "FilterPolicy",
            ],
            &[],
        );
        for topic in &m.topics {
            for sub in &topic.subscriptions {
                t.row(vec![
                    Text::plain(topic.name.clone()),
                    Text::plain(sub.protocol.clone()),
                    Text::plain(match sub.endpoint {
                        Endpoint::Queue(_) => sub.endpoint_name.clone(),
                        Endpoint::Counted => format!("{} (counted only)", sub.endpoint_name),
                    }),
                    Text::plain(flag(sub.raw_message_delivery)),
                    Text::plain(match &sub.filter {
                        None => "none".to_string(),
                        Some(f) => {
                            let keys: Vec<&str> =
                                f.conditions.iter().map(|(k, _)| k.as_str()).collect();
                            format!("on {}", keys.join(", "))
                        }
                    }),
                ]);
            }
            if topic.subscriptions.is_empty() {
                t.row(vec![
                    Text::plain(topic.name.clone()),
                    Text::plain("–"),
                    Text::plain("no subscriptions"),
                    Text::plain("–"),
                    Text::plain("–"),
                ]);
            }
        }
        out.push(Block::Table(t));
    }
    if !m.producers.is_empty() {
        out.push(Block::Heading("Producers".into()));
        let mut t = Table::new(&["Producer", "Sends to", "Messages", "Size"], &[]);
        for p in &m.producers {
            let mut size = format!("{} bytes", count(p.message.size_bytes));
            if let MessageGroups::Random { count: n } = p.message.groups {
                size.push_str(&format!(", {} message groups", count(u64::from(n))));
            }
            t.row(vec![
                Text::plain(p.name.clone()),
                Text::plain(destination(&p.destination, s)),
                Text::plain(arrival(&p.arrival, clock)),
                Text::plain(size),
            ]);
        }
        out.push(Block::Table(t));
    }
    if !m.consumers.is_empty() {
        out.push(Block::Heading("Worker programs".into()));
        let mut t = Table::new(
            &[
                "Worker",
                "Queue",
                "Runs on",
                "Pollers per instance",
                "MaxNumberOfMessages",
                "WaitTimeSeconds",
                "Processing time",
                "Other",
            ],
            &[false, false, false, true, true, true],
        );
        for c in &m.consumers {
            let on = match &c.placement {
                Placement::Group(g) => format!(
                    "instances of {}",
                    name_at(&s.auto_scaling_groups, g.index(), |x| &x.name)
                ),
                Placement::Instances(ids) => ids
                    .iter()
                    .map(|i| name_at(&s.instances, i.index(), |x| &x.id))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let mut other = Vec::new();
            if c.failure_probability > 0.0 {
                other.push(format!("fails {}", share(c.failure_probability)));
            }
            if let Some(h) = &c.heartbeat {
                other.push(format!(
                    "heartbeat every {} sets VisibilityTimeout {}",
                    duration(h.interval),
                    duration(h.visibility_timeout)
                ));
            }
            if c.scale_in_protection {
                other.push("scale-in protection while working".into());
            }
            if c.stale_delete == StaleDelete::Deleted {
                other.push("a stale DeleteMessage deletes".into());
            }
            other.push(format!("API latency {}", duration(c.api_latency)));
            t.row(vec![
                Text::plain(c.name.clone()),
                Text::plain(name_at(&m.queues, c.queue.index(), |x| &x.name)),
                Text::plain(on),
                Text::plain(c.pollers_per_instance.to_string()),
                Text::plain(c.max_messages.to_string()),
                Text::plain(seconds(c.wait)),
                Text::plain(distribution(&c.processing_time)),
                Text::plain(other.join("; ")),
            ]);
        }
        out.push(Block::Table(t));
    }
    out
}

/// A queue's attributes under their AWS names.
fn queue(s: &Scenario, q: &QueueSpec, given: Given<'_>) -> Vec<(String, Text)> {
    let attr = |key: &str, value: String| pair(key, setting(value, given.has(key)));
    let mut p = vec![
        attr("FifoQueue", flag(q.fifo)),
        attr("VisibilityTimeout", seconds(q.visibility_timeout)),
        attr("ReceiveMessageWaitTimeSeconds", seconds(q.receive_wait)),
        attr("MessageRetentionPeriod", seconds(q.retention)),
        attr("DelaySeconds", seconds(q.delay)),
        attr("MaximumMessageSize", count(q.maximum_message_size)),
    ];
    if q.fifo {
        p.push(attr(
            "ContentBasedDeduplication",
            flag(q.content_based_deduplication),
        ));
    }
    p.push(pair(
        "RedrivePolicy",
        Text::plain(match &q.redrive {
            None => "none".to_string(),
            Some(r) => format!(
                "deadLetterTargetArn {}, maxReceiveCount {}",
                name_at(&s.messaging.queues, r.dead_letter_queue.index(), |x| &x
                    .name),
                r.max_receive_count
            ),
        }),
    ));
    if !q.fifo {
        p.push(attr(
            "duplicate_probability",
            number(q.duplicate_probability),
        ));
    }
    p.push(attr("short_poll_sample", number(q.short_poll_sample)));
    p
}
