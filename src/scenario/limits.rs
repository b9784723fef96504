//! Limits on what a model may ask for, so a typo cannot make a run exhaust memory or never end.
//!
//! Where AWS has a quota for the same thing, albsim uses AWS's default ("Quotas for your
//! Application Load Balancers",
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html>):
//! a model that exceeds it could not be built in an account with default quotas either. The
//! other limits are albsim's own and are chosen far above any model that simulates in minutes.

use super::path::JsonPath;
use super::raw::RawModel;
use super::{FieldError, Scenario};
use crate::model::cloudwatch::MetricRef;

/// Largest model file read: 16 MiB (the shipped models are under 20 KiB).
pub const MAX_MODEL_BYTES: u64 = 16 * 1024 * 1024;

/// Listeners per load balancer: AWS quota "Listeners per Application Load Balancer", 50.
pub const MAX_LISTENERS: usize = 50;

/// Rules on all listeners, not counting default rules: AWS quota "Rules per Application Load
/// Balancer (excluding default rules)", 100.
pub const MAX_RULES: usize = 100;

/// Target groups: AWS quota "Target Groups per Application Load Balancer", 100.
pub const MAX_TARGET_GROUPS: usize = 100;

/// Targets registered with one target group: AWS quota "Targets per Target Group per Region
/// (instances or IP addresses)", 1,000.
pub const MAX_TARGETS_PER_GROUP: usize = 1000;

/// Instances in `instances`: AWS quota "Targets per Application Load Balancer", 1,000 (an
/// instance that is no target serves nothing).
pub const MAX_INSTANCES: usize = 1000;

/// Auto Scaling groups: albsim's limit (AWS's per-Region quota is 500, far more than one load
/// balancer can use).
pub const MAX_AUTO_SCALING_GROUPS: usize = 100;

/// Instances that may exist at once: the model's plus every group's `MaxSize` (each at most
/// 1,000); albsim's limit.
pub const MAX_TOTAL_CAPACITY: u64 = 10_000;

/// Clients: albsim's limit.
pub const MAX_CLIENTS: usize = 1000;

/// SQS queues: albsim's limit (AWS sets none per account).
pub const MAX_QUEUES: usize = 1000;

/// SNS topics: albsim's limit (AWS's quota is 100,000 standard topics per account).
pub const MAX_TOPICS: usize = 1000;

/// Subscriptions of one topic: albsim's limit, AWS's quota for FIFO topics (standard topics may
/// have 12,500,000).
pub const MAX_SUBSCRIPTIONS_PER_TOPIC: usize = 100;

/// Producers: albsim's limit.
pub const MAX_PRODUCERS: usize = 1000;

/// Worker programs: albsim's limit.
pub const MAX_CONSUMERS: usize = 1000;

/// Pollers of all worker programs together, at the largest fleet (pollers per instance times
/// the instances listed, or the group's largest `MaxSize`): albsim's limit.
pub const MAX_TOTAL_POLLERS: u64 = 100_000;

/// Memory the per-period series (`timeseries.csv`, the plot) may take: 1 GiB. Beyond it a run
/// would likely be killed (or swap) on an ordinary machine, after simulating for hours.
pub const MAX_SERIES_BYTES: u64 = 1024 * 1024 * 1024;

/// One count limit: where the list is, what it holds, how many it holds, the most allowed, and
/// where that limit comes from.
struct CountLimit<'a> {
    at: JsonPath,
    what: &'a str,
    got: usize,
    max: usize,
    source: &'a str,
}

impl CountLimit<'_> {
    fn check(self) -> Option<FieldError> {
        let CountLimit {
            at,
            what,
            got,
            max,
            source,
        } = self;
        (got > max).then(|| {
            at.error(format!(
                "expected at most {max} {what} ({source}), got {got}"
            ))
        })
    }
}

/// Checks the counts of the raw model against the limits above.
pub(super) fn check_counts(raw: &RawModel, errors: &mut Vec<FieldError>) {
    let root = JsonPath::root();
    let listeners: &[_] = raw
        .load_balancer
        .as_ref()
        .map_or(&[], |lb| lb.listeners.as_slice());
    let mut limits = vec![
        CountLimit {
            at: root.key("load_balancer").key("listeners"),
            what: "listeners",
            got: listeners.len(),
            max: MAX_LISTENERS,
            source: "AWS quota: listeners per Application Load Balancer",
        },
        CountLimit {
            at: root.key("load_balancer").key("listeners"),
            what: "rules on all listeners, not counting default actions,",
            got: listeners.iter().map(|l| l.rules.len()).sum(),
            max: MAX_RULES,
            source: "AWS quota: rules per Application Load Balancer",
        },
        CountLimit {
            at: root.key("target_groups"),
            what: "target groups",
            got: raw.target_groups.len(),
            max: MAX_TARGET_GROUPS,
            source: "AWS quota: target groups per Application Load Balancer",
        },
    ];
    limits.extend(
        raw.target_groups
            .iter()
            .enumerate()
            .map(|(i, g)| CountLimit {
                at: root.key("target_groups").index(i).key("targets"),
                what: "targets",
                got: g.targets.len(),
                max: MAX_TARGETS_PER_GROUP,
                source: "AWS quota: targets per target group",
            }),
    );
    limits.extend([
        CountLimit {
            at: root.key("instances"),
            what: "instances",
            got: raw.instances.len(),
            max: MAX_INSTANCES,
            source: "AWS quota: targets per Application Load Balancer",
        },
        CountLimit {
            at: root.key("auto_scaling_groups"),
            what: "Auto Scaling groups",
            got: raw.auto_scaling_groups.len(),
            max: MAX_AUTO_SCALING_GROUPS,
            source: "albsim's limit for one load balancer",
        },
        CountLimit {
            at: root.key("clients"),
            what: "clients",
            got: raw.clients.len(),
            max: MAX_CLIENTS,
            source: "albsim's limit; merge clients with the same arrival process",
        },
    ]);
    messaging_counts(raw, &mut limits);
    errors.extend(limits.into_iter().filter_map(CountLimit::check));
    if let Some(e) = check_pollers(raw) {
        errors.push(e);
    }
    let capacity = raw.instances.len() as u64
        + raw
            .auto_scaling_groups
            .iter()
            .map(|g| {
                let scheduled = g.scheduled_actions.iter().filter_map(|s| s.max_size);
                u64::from(scheduled.fold(g.max_size, u32::max))
            })
            .sum::<u64>();
    if capacity > MAX_TOTAL_CAPACITY {
        errors.push(root.key("auto_scaling_groups").error(format!(
            "expected at most {MAX_TOTAL_CAPACITY} instances in all (instances plus every group's MaxSize; albsim's limit), got {capacity}; lower MaxSize"
        )));
    }
}

/// The count limits of `queues`, `topics` (and each topic's subscriptions), `producers` and
/// `consumers`.
fn messaging_counts<'a>(raw: &RawModel, limits: &mut Vec<CountLimit<'a>>) {
    let root = JsonPath::root();
    let albsim = "albsim's limit";
    limits.extend([
        CountLimit {
            at: root.key("queues"),
            what: "queues",
            got: raw.queues.len(),
            max: MAX_QUEUES,
            source: albsim,
        },
        CountLimit {
            at: root.key("topics"),
            what: "topics",
            got: raw.topics.len(),
            max: MAX_TOPICS,
            source: albsim,
        },
    ]);
    limits.extend(raw.topics.iter().enumerate().map(|(i, t)| CountLimit {
        at: root.key("topics").index(i).key("Subscriptions"),
        what: "subscriptions",
        got: t.subscriptions.len(),
        max: MAX_SUBSCRIPTIONS_PER_TOPIC,
        source: "albsim's limit, AWS's quota for FIFO topics",
    }));
    limits.extend([
        CountLimit {
            at: root.key("producers"),
            what: "producers",
            got: raw.producers.len(),
            max: MAX_PRODUCERS,
            source: "albsim's limit; merge producers with the same arrival process",
        },
        CountLimit {
            at: root.key("consumers"),
            what: "consumers",
            got: raw.consumers.len(),
            max: MAX_CONSUMERS,
            source: albsim,
        },
    ]);
}

/// Rejects more than [`MAX_TOTAL_POLLERS`] pollers at the largest fleet; the error names the
/// consumer that crosses the limit.
fn check_pollers(raw: &RawModel) -> Option<FieldError> {
    let mut total = 0u64;
    for (i, c) in raw.consumers.iter().enumerate() {
        let instances = match (&c.instances, &c.auto_scaling_group) {
            (Some(ids), _) => ids.len() as u64,
            (None, Some(name)) => raw
                .auto_scaling_groups
                .iter()
                .find(|g| &g.name == name)
                .map_or(0, |g| {
                    let scheduled = g.scheduled_actions.iter().filter_map(|s| s.max_size);
                    u64::from(scheduled.fold(g.max_size, u32::max))
                }),
            (None, None) => 0,
        };
        let per_instance = u64::from(
            c.pollers_per_instance
                .unwrap_or(1)
                .min(super::sqs::MAX_POLLERS_PER_INSTANCE),
        );
        total += per_instance * instances;
        if total > MAX_TOTAL_POLLERS {
            return Some(
                JsonPath::root()
                    .key("consumers")
                    .index(i)
                    .key("pollers_per_instance")
                    .error(format!(
                        "expected at most {MAX_TOTAL_POLLERS} pollers over all consumers (pollers_per_instance times the instances listed or the group's MaxSize; albsim's limit), got {total} up to this consumer"
                    )),
            );
        }
    }
    None
}

/// Bytes one `timeseries.csv` row costs while the run records it and writes it out: the row in
/// memory (`recorder::PeriodRow`: its fixed fields and list headers, 16 bytes per target group
/// for healthy and unhealthy host counts, 16 per percentile alarm, 16 per Auto Scaling group, 24
/// per alarm, 16 per instance slot for CPU) plus its CSV text (about 12 bytes per column).
pub fn row_bytes(sc: &Scenario) -> u64 {
    let groups = sc.target_groups.len() as u64;
    let asgs = sc.auto_scaling_groups.len() as u64;
    let alarms = sc.alarms.len() as u64;
    let quantiles = sc
        .alarms
        .iter()
        .filter(|a| matches!(a.metric, MetricRef::LbTargetResponseTimePercentile(_)))
        .count() as u64;
    let instances = sc.instances.len() as u64
        + sc.auto_scaling_groups
            .iter()
            .map(|g| u64::from(g.max))
            .sum::<u64>();
    let fixed = std::mem::size_of::<crate::recorder::PeriodRow>() as u64;
    let memory = fixed + 16 * groups + 16 * quantiles + 16 * asgs + 24 * alarms + 16 * instances;
    let columns = 20 + 2 * groups + quantiles + 4 * asgs + 2 * alarms + instances;
    memory + 12 * columns
}

/// Rejects a metric period so short for the run's duration that its series cannot fit
/// [`MAX_SERIES_BYTES`].
pub(super) fn check_series(sc: &Scenario) -> Option<FieldError> {
    let rows = sc.duration.0.div_ceil(sc.period.0.max(1));
    let per_row = row_bytes(sc);
    let bytes = rows.saturating_mul(per_row);
    if bytes <= MAX_SERIES_BYTES {
        return None;
    }
    let max_rows = MAX_SERIES_BYTES / per_row;
    let min_period = sc.duration.as_secs_f64() / max_rows as f64;
    let suggested = [
        1u64, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 21_600, 86_400,
    ]
    .into_iter()
    .find(|&p| p as f64 >= min_period)
    .unwrap_or(86_400);
    Some(JsonPath::root().key("metrics").key("period").error(format!(
        "a {} s period over a duration of {} makes {rows} rows of about {per_row} bytes each ({} MiB); the limit is {} MiB ({max_rows} rows for this model): use a period of at least {suggested} s, or a shorter duration",
        sc.period.as_secs_f64(),
        crate::engine::human::human_duration(sc.duration.as_secs_f64()),
        bytes / (1024 * 1024),
        MAX_SERIES_BYTES / (1024 * 1024),
    )))
}
