//! "Assumptions in force": where AWS is silent, albsim makes a setting with a stated default or
//! states an assumption (README, "Assumptions"). [`ASSUMPTIONS`] keeps each one once, with when
//! it applies to a model, so a report lists only those in force for its model; a test checks
//! that every entry's key phrase is in README's section and every bullet there has an entry.

use crate::model::autoscaling::PolicyKind;
use crate::model::client::Load;
use crate::model::listener::Protocol;
use crate::model::sqs::{Endpoint, Placement};
use crate::model::target_group::StickinessKind;
use crate::report::document::{Block, Section, Text};
use crate::scenario::Scenario;

/// One assumption albsim makes where AWS does not document a behaviour.
#[derive(Clone, Copy, Debug)]
pub struct Assumption {
    /// A short stable name.
    pub id: &'static str,
    /// Words README's "Assumptions" section has for it, verbatim (whitespace aside).
    pub key_phrase: &'static str,
    /// Whether it matters for a model.
    pub applies: fn(&Scenario) -> bool,
    /// What the report says.
    pub sentence: &'static str,
}

fn has_lb(s: &Scenario) -> bool {
    !s.listeners.is_empty()
}

fn has_targets(s: &Scenario) -> bool {
    has_lb(s) && !s.target_groups.is_empty()
}

fn has_health_checks(s: &Scenario) -> bool {
    has_lb(s) && s.target_groups.iter().any(|g| g.health.enabled)
}

fn has_ec2(s: &Scenario) -> bool {
    !s.instances.is_empty() || !s.auto_scaling_groups.is_empty()
}

fn has_asg(s: &Scenario) -> bool {
    !s.auto_scaling_groups.is_empty()
}

fn has_target_tracking(s: &Scenario) -> bool {
    s.auto_scaling_groups.iter().any(|g| {
        g.policies
            .iter()
            .any(|p| matches!(p.kind, PolicyKind::TargetTracking { .. }))
    })
}

fn has_queues(s: &Scenario) -> bool {
    !s.messaging.queues.is_empty()
}

fn has_workers(s: &Scenario) -> bool {
    !s.messaging.consumers.is_empty()
}

/// Every assumption, in README's order.
pub const ASSUMPTIONS: &[Assumption] = &[
    Assumption {
        id: "tls-handshake",
        key_phrase: "TLS handshake on a new HTTPS connection",
        applies: |s| s.listeners.iter().any(|l| l.protocol == Protocol::Https),
        sentence: "A TLS handshake on a new HTTPS connection takes the listener's tls_handshake_ms (default 2 ms) at the load balancer.",
    },
    Assumption {
        id: "backlog-refuses",
        key_phrase: "A target whose backlog is full refuses the connection (TCP RST)",
        applies: has_targets,
        sentence: "A target whose backlog is full refuses the connection (TCP RST), which the ALB reports as 502.",
    },
    Assumption {
        id: "no-retry",
        key_phrase: "The ALB does not retry a failed request on another target",
        applies: has_targets,
        sentence: "The ALB does not retry a failed request on another target.",
    },
    Assumption {
        id: "service-time-is-cpu",
        key_phrase: "Service time is CPU time: one vCPU per running request",
        applies: has_ec2,
        sentence: "Service time (and processing time) is CPU time: one vCPU per running request or message.",
    },
    Assumption {
        id: "connection-counts",
        key_phrase: "count client→ALB connections only",
        applies: has_lb,
        sentence: "ActiveConnectionCount and NewConnectionCount count client-to-ALB connections only.",
    },
    Assumption {
        id: "health-first-check",
        key_phrase: "the first check runs at a random time within one interval after registration",
        applies: has_health_checks,
        sentence: "A target's first health check runs at a random time within one HealthCheckIntervalSeconds after registration (health_check.first_check_delay).",
    },
    Assumption {
        id: "health-nodes",
        key_phrase: "two ALB nodes check each target",
        applies: has_health_checks,
        sentence: "Two ALB nodes check each target (both load the instance) and the first node's results drive its state (health_check.nodes).",
    },
    Assumption {
        id: "health-check-cpu",
        key_phrase: "a check takes 1 ms of CPU",
        applies: has_health_checks,
        sentence: "A health check takes 1 ms of the target's CPU (health_check.service_time).",
    },
    Assumption {
        id: "all-initial-503",
        key_phrase: "While every target of a group is still `initial`, the ALB answers 503",
        applies: has_targets,
        sentence: "While every target of a group is still initial, the ALB answers 503.",
    },
    Assumption {
        id: "fail-open-percentage-base",
        key_phrase: "`minimum_healthy_targets.percentage` is a share of the registered targets",
        applies: |s| {
            has_lb(s)
                && s.target_groups
                    .iter()
                    .any(|g| g.minimum_healthy_percentage.is_some())
        },
        sentence: "Fail open by minimum_healthy_targets.percentage is a share of the registered targets: initial, healthy, unhealthy and unavailable ones, not draining ones.",
    },
    Assumption {
        id: "load-balancer-nodes",
        key_phrase: "a client is one resolver, whose answer",
        applies: |s| has_targets(s) && s.zones.len() > 1,
        sentence: "Each new connection goes to one of the nodes in its client's DNS answer, in equal shares; a client is one resolver, whose answer it keeps for dns_ttl (60 s, the ALB's record TTL). With cross-zone load balancing on, the nodes' round robin is modelled as one rotation over all targets; DNS failover counts the target groups with cross-zone off.",
    },
    Assumption {
        id: "client-timeout",
        key_phrase: "a request's `timeout` runs from when the client sends it",
        applies: |s| (s.clients.iter()).any(|c| c.types.iter().any(|t| t.timeout.is_some())),
        sentence: "A request's timeout runs from when the client sends it (a new connection's TLS handshake included); on HTTP/1.1 the client closes its connection, on HTTP/2 it resets only the stream; the ALB logs 460 with the request processing time it measured and -1 for the target and response processing times.",
    },
    Assumption {
        id: "retry-quota-per-client",
        key_phrase: "each albsim client retries as one SDK client",
        applies: |s| s.clients.iter().any(|c| c.retry.is_some()),
        sentence: "Each albsim client retries as one SDK client: its requests share one retry quota (token bucket), and a retry goes back through the client's connection pool like a new request.",
    },
    Assumption {
        id: "anomaly-detection",
        key_phrase: "a verdict looks back at least 30 s and at least 20 responses",
        applies: has_targets,
        sentence: "Automatic Target Weights (anomaly_detection settings): a verdict looks back at least 30 s and 20 responses (up to 5 minutes, else no result); a target is anomalous at twice its peers' pooled error rate (5xx and connection errors) and 5 points above it; mitigation halves its weight every 5 s down to 2 % and gives back 10 % per step once it is normal; at most half the healthy targets (at least one) are cut at once; an ALB idle-timeout 504 is not counted.",
    },
    Assumption {
        id: "slow-start",
        key_phrase: "a target in slow start takes its round-robin turn with probability elapsed/duration",
        applies: |s| s.target_groups.iter().any(|g| g.slow_start.0 > 0),
        sentence: "A target in slow start takes its round-robin turn with probability elapsed/duration (AWS documents a linear increase, not its form).",
    },
    Assumption {
        id: "app-cookie",
        key_phrase: "`app_cookie` stickiness assumes the application sets its cookie on every response",
        applies: |s| {
            s.target_groups.iter().any(|g| {
                g.stickiness
                    .as_ref()
                    .is_some_and(|st| matches!(st.kind, StickinessKind::AppCookie { .. }))
            })
        },
        sentence: "app_cookie stickiness assumes the application sets its cookie on every response, so it behaves like lb_cookie.",
    },
    Assumption {
        id: "websocket-draining",
        key_phrase: "WebSocket connections to a draining target are closed when the deregistration delay ends",
        applies: |s| {
            s.clients
                .iter()
                .any(|c| matches!(c.load, Load::Websocket(_)))
        },
        sentence: "WebSocket connections to a draining target are closed when the deregistration delay ends.",
    },
    Assumption {
        id: "az-rebalance",
        key_phrase: "the group checks its zones at its health poll",
        applies: |s| s.auto_scaling_groups.iter().any(|g| g.zones.len() > 1),
        sentence: "AZRebalance: the group checks its zones at its health poll and, when every zone is up and two differ by more than one instance, launches in the least populated zones (within MaxSize + max(1, 10 % of MaxSize)) and terminates one in the most populated zone as each launch enters service; while a zone is in an az_outage, launches go to the other zones.",
    },
    Assumption {
        id: "target-tracking-alarms",
        key_phrase: "target tracking's alarm shapes (3 of 3 above, 15 of 15 below 0.9 × target) are observed, not documented",
        applies: has_target_tracking,
        sentence: "Target tracking's alarms (3 of 3 datapoints above the target, 15 of 15 below 0.9 × target) are observed, not documented: they are settings (TargetTrackingConfiguration.alarms).",
    },
    Assumption {
        id: "target-tracking-basic-monitoring",
        key_phrase: "with basic monitoring its alarms use 5-minute periods",
        applies: |s| {
            s.auto_scaling_groups.iter().any(|g| {
                !g.template.detailed_monitoring
                    && g.policies
                        .iter()
                        .any(|p| matches!(p.kind, PolicyKind::TargetTracking { .. }))
            })
        },
        sentence: "With basic monitoring, target tracking's alarms use 5-minute periods.",
    },
    Assumption {
        id: "asg-health-poll",
        key_phrase: "the group's health poll runs every 60 s (`health_check_poll_interval`)",
        applies: has_asg,
        sentence: "An Auto Scaling group's health poll runs every 60 s (health_check_poll_interval).",
    },
    Assumption {
        id: "launch-time",
        key_phrase: "launch time defaults to a lognormal with median 60 s and p99 120 s",
        applies: has_asg,
        sentence: "Launch time (boot and application start) defaults to a lognormal with median 60 s and p99 120 s.",
    },
    Assumption {
        id: "lcu-rule-evaluations",
        key_phrase: "Rule evaluations are not counted in LCUs",
        applies: has_lb,
        sentence: "Rule evaluations are not counted in LCUs (they matter only beyond 10 rules).",
    },
    Assumption {
        id: "ec2-alb-prices",
        key_phrase: "prices are us-east-1 list prices from third-party summaries",
        applies: has_ec2,
        sentence: "EC2 and ALB prices are us-east-1 list prices from third-party summaries.",
    },
    Assumption {
        id: "no-460",
        key_phrase: "`460` (client closed the connection before the response) is not produced",
        applies: has_lb,
        sentence: "460 (the client closed the connection before the response) is not produced: clients wait for their answer.",
    },
    Assumption {
        id: "sqs-api-latency",
        key_phrase: "an API call takes effect when made and its caller continues `api_latency` later",
        applies: has_queues,
        sentence: "An SQS API call takes effect when made and its caller continues api_latency later (default 10 ms).",
    },
    Assumption {
        id: "sqs-short-poll-sample",
        key_phrase: "short polling finds each visible message with probability `short_poll_sample`",
        applies: has_queues,
        sentence: "Short polling finds each visible message with probability short_poll_sample (default 0.5; AWS says only that it samples a subset of servers).",
    },
    Assumption {
        id: "sqs-stale-delete",
        key_phrase: "a delete with a stale receipt handle does not delete the message",
        applies: has_workers,
        sentence: "A DeleteMessage with a stale receipt handle does not delete the message (stale_receipt_delete, default not_deleted: AWS says it might not be deleted).",
    },
    Assumption {
        id: "sqs-duplicates",
        key_phrase: "standard queues deliver a deleted message again with probability `duplicate_probability`",
        applies: |s| s.messaging.queues.iter().any(|q| !q.fifo),
        sentence: "A standard queue delivers a deleted message again with probability duplicate_probability (default 0).",
    },
    Assumption {
        id: "sqs-dlq-move",
        key_phrase: "a message moves to the dead-letter queue when its visibility expires after `maxReceiveCount` receives",
        applies: |s| s.messaging.queues.iter().any(|q| q.redrive.is_some()),
        sentence: "A message moves to the dead-letter queue when its visibility expires after maxReceiveCount receives (AWS moves it at the next receive attempt: the same time while a poller waits).",
    },
    Assumption {
        id: "sqs-throttled-send",
        key_phrase: "a throttled `SendMessage` is retried as the AWS SDKs' standard retry mode does",
        applies: has_queues,
        sentence: "A throttled SendMessage is retried as the AWS SDKs' standard retry mode does (at most 3 attempts, full-jitter exponential backoff from 100 ms, capped at 20 s), then fails and is counted in failed_sends; throttled calls are not billed.",
    },
    Assumption {
        id: "sqs-throttled-receive",
        key_phrase: "a throttled receive or delete after `throttle_backoff`",
        applies: has_workers,
        sentence: "A worker retries a throttled receive or delete after throttle_backoff.",
    },
    Assumption {
        id: "sqs-heartbeat",
        key_phrase: "a heartbeat without its own `VisibilityTimeout` sets the queue's",
        applies: |s| s.messaging.consumers.iter().any(|c| c.heartbeat.is_some()),
        sentence: "A heartbeat without its own VisibilityTimeout sets the queue's.",
    },
    Assumption {
        id: "worker-api-cpu",
        key_phrase: "A worker's SQS API calls use no CPU of its instance",
        applies: has_workers,
        sentence: "A worker's SQS API calls use no CPU of its instance (a short-polling poller spins at no CPU cost; its cost shows as empty receives and billed requests).",
    },
    Assumption {
        id: "worker-terminating",
        key_phrase: "pollers do not stop when their instance starts terminating",
        applies: |s| {
            s.messaging
                .consumers
                .iter()
                .any(|c| matches!(c.placement, Placement::Group(_)))
        },
        sentence: "Pollers do not stop when their instance starts terminating, only when it is terminated.",
    },
    Assumption {
        id: "sns-envelope",
        key_phrase: "a queue without `RawMessageDelivery` receives the JSON envelope, counted as 1,024 bytes",
        applies: |s| {
            s.messaging.topics.iter().any(|t| {
                t.subscriptions.iter().any(|sub| {
                    matches!(sub.endpoint, Endpoint::Queue(_)) && !sub.raw_message_delivery
                })
            })
        },
        sentence: "A queue subscribed without RawMessageDelivery receives the SNS JSON envelope, counted as 1,024 bytes on top of the message.",
    },
    Assumption {
        id: "sqs-sns-prices",
        key_phrase: "SQS and SNS prices are us-east-1 list prices with the free tiers ignored",
        applies: |s| has_queues(s) || !s.messaging.topics.is_empty(),
        sentence: "SQS and SNS prices are us-east-1 list prices with the free tiers ignored.",
    },
    Assumption {
        id: "cloudformation-import",
        key_phrase: "CloudFormation import: pseudo-parameters are `AWS::Region` us-east-1",
        // What `albsim import` assumed is printed by the import itself; a run cannot tell an
        // imported model from a written one.
        applies: |_| false,
        sentence: "CloudFormation import: pseudo-parameters are AWS::Region us-east-1, AWS::AccountId 123456789012 and AWS::StackName the template's file name; Fn::GetAZs gives zones a to f.",
    },
    Assumption {
        id: "access-log-written",
        key_phrase: "Access logs written: synthetic client and target addresses",
        // The log is an option of the run, not part of the model the report describes.
        applies: |_| false,
        sentence: "Access logs written by a run use synthetic client and target addresses and ARNs in account 123456789012, us-east-1.",
    },
    Assumption {
        id: "access-log-replayed",
        key_phrase: "Access logs replayed: one cookie jar per client IP",
        applies: |s| s.clients.iter().any(|c| matches!(c.load, Load::Replay(_))),
        sentence: "Replayed access logs: one cookie jar per client IP; only the User-Agent header is in the logs, so other http-header conditions never match a replayed request; WebSocket entries are replayed as their upgrade request.",
    },
];

/// The assumptions in force for `s`, in [`ASSUMPTIONS`]' order.
pub fn in_force(s: &Scenario) -> Vec<&'static Assumption> {
    ASSUMPTIONS.iter().filter(|a| (a.applies)(s)).collect()
}

/// The "Assumptions in force" section, `None` if none applies.
pub fn section(s: &Scenario) -> Option<Section> {
    let list = in_force(s);
    if list.is_empty() {
        return None;
    }
    Some(Section {
        id: "assumptions".into(),
        title: "Assumptions in force".into(),
        blocks: vec![
            Block::Paragraph(Text::plain(
                "Where AWS does not document a behaviour, albsim makes it a setting with a stated default or states an assumption (README, Assumptions). These apply to this model:",
            )),
            Block::Bullets(list.iter().map(|a| Text::plain(a.sentence)).collect()),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// README's "Assumptions" section, whitespace collapsed.
    fn readme_section() -> String {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
            .expect("README.md");
        let start = readme
            .find("\n### Assumptions\n")
            .expect("an Assumptions section");
        let rest = &readme[start + 1..];
        let end = rest[4..].find("\n#").map_or(rest.len(), |i| i + 4);
        rest[..end].to_string()
    }

    fn collapse(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn every_assumption_is_in_readme() {
        let section = collapse(&readme_section());
        for a in ASSUMPTIONS {
            assert!(
                section.contains(&collapse(a.key_phrase)),
                "{}: README's Assumptions section does not say {:?}",
                a.id,
                a.key_phrase
            );
        }
    }

    #[test]
    fn every_readme_bullet_has_an_assumption() {
        let section = readme_section();
        let mut bullets: Vec<String> = Vec::new();
        for line in section.lines() {
            if let Some(b) = line.strip_prefix("- ") {
                bullets.push(b.to_string());
            } else if line.starts_with("  ") {
                if let Some(last) = bullets.last_mut() {
                    last.push(' ');
                    last.push_str(line.trim());
                }
            }
        }
        assert!(bullets.len() >= 10, "found {} bullets", bullets.len());
        for b in &bullets {
            let b = collapse(b);
            assert!(
                ASSUMPTIONS
                    .iter()
                    .any(|a| b.contains(&collapse(a.key_phrase))),
                "README's assumption has no registry entry: {b}"
            );
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = ASSUMPTIONS.iter().map(|a| a.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ASSUMPTIONS.len());
    }
}
