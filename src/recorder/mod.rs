//! Observations during a run, kept in bounded memory.
//!
//! The world calls the [`Recorder`] on each response and at each metric period boundary; nothing
//! here allocates per request. Latency distributions are HDR histograms (fixed buckets, 3
//! significant digits), per-period values are flushed into one [`PeriodRow`] per CloudWatch period,
//! so memory grows with simulated *time* (one row per period, reserved only as periods close),
//! never with the number of requests. The activity history keeps at most [`ACTIVITY_LIMIT`]
//! lines. At the end the recorder yields a [`RunResult`], the only thing reports ever read, and
//! [`cost()`] prices it (EC2 instance-hours and ALB LCUs).
//!
//! | file | holds |
//! | --- | --- |
//! | `mod.rs` | the [`Recorder`]: per-response and per-period observations |
//! | `latency.rs`, `connections.rs` | [`LatencyHistogram`], [`ConnectionCounter`] (`ActiveConnectionCount`) |
//! | `result.rs` | [`RunResult`] and its tables: periods, groups, instances |
//! | `activity/` | the typed activity history ([`Activity`], [`ActivityKind`]) |
//! | `alarm.rs` | [`AlarmResult`]: each CloudWatch alarm and its state per period |
//! | `messaging.rs` | SQS queues, SNS topics and worker programs: per-period values and totals |
//! | `cost.rs` | [`cost()`]: EC2 and ALB (`ConsumedLCUs`) cost of a result |

mod activity;
mod alarm;
mod attempts;
mod connections;
mod cost;
mod latency;
mod messaging;
mod result;

pub use activity::{
    Activity, ActivityKind, AlarmChange, AnomalyChange, ChangedBy, FailOpen, FailOpenCause, Fault,
    NodeDns, NotJudgedBecause, PolicyNote, QueueActivity, Registration, RoutingThreshold,
    ScalingActivity, ScalingCause, SizeLimit, TargetHealth, TargetState, Transition, TwoDecimals,
};
pub use alarm::{AlarmPoint, AlarmResult, AlarmSide, TargetTrackingAlarm};
pub use attempts::{Attempts, ClientPeriod, ClientResult};
pub use connections::ConnectionCounter;
pub use cost::{ALB_HOUR_USD, CostResult, LCU_HOUR_USD, billed_hours, cost};
pub use latency::LatencyHistogram;
pub use messaging::{
    ConsumerPeriod, ConsumerResult, QueuePeriod, QueueResult, SubscriptionResult, TopicPeriod,
    TopicResult,
};
pub use result::{
    AsgResult, CpuRow, GroupCapacity, GroupResult, HostCounts, InstanceResult, LatencySummary,
    PeriodRow, RunEnd, RunResult, StatusCounts, StickyResult, WebsocketResult,
};

use crate::engine::{SimDuration, SimTime};

/// Most activity lines kept (about 25 MB): health checks flapping for a year would otherwise grow
/// the history, and `activity.log`, without bound. Later lines are counted, and the history ends
/// with a line saying how many were not kept.
pub const ACTIVITY_LIMIT: usize = 100_000;

/// Who produced a response, for CloudWatch's `HTTPCode_ELB_*` vs `HTTPCode_Target_*` split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The target answered.
    Target,
    /// The load balancer answered itself (errors, redirects, fixed responses).
    LoadBalancer,
}

/// Per-period sums, reset at each boundary.
#[derive(Clone, Debug, Default)]
struct PeriodSums {
    request_count: u64,
    target_rt_sum_ns: u128,
    target_rt_count: u64,
    elb: StatusCounts,
    target: StatusCounts,
    redirects: u64,
    fixed_responses: u64,
    target_connection_errors: u64,
    processed_bytes: u64,
}

/// Collects a run's observations.
#[derive(Debug)]
pub struct Recorder {
    period: SimDuration,
    by_status: Vec<u64>,
    /// Latency of responses not forwarded to a target group (redirects, fixed responses). The
    /// overall distribution is this merged with the groups' at the end: one record per response.
    direct_latency: LatencyHistogram,
    group_latency: Vec<LatencyHistogram>,
    group_requests: Vec<u64>,
    period_target_rt: LatencyHistogram,
    sums: PeriodSums,
    /// Client connections (`ActiveConnectionCount`, `NewConnectionCount`).
    pub connections: ConnectionCounter,
    /// End-user requests of clients that time out or retry.
    pub attempts: Attempts,
    rows: Vec<PeriodRow>,
    total_requests: u64,
    hosts: Vec<HostCounter>,
    activity: Vec<Activity>,
    /// Activities not kept once [`ACTIVITY_LIMIT`] were, and when the last of them happened.
    activity_dropped: (u64, SimTime),
    /// Per group: requests that carried a valid sticky cookie, and those that reached its target.
    sticky: Vec<(u64, u64)>,
    websockets: WebsocketResult,
    /// Extra `TargetResponseTime` quantiles to compute every period (alarms' `ExtendedStatistic`).
    period_quantiles: Vec<f64>,
}

/// Why a WebSocket connection closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WsClose {
    /// No frame either way for `idle_timeout.timeout_seconds`.
    IdleTimeout,
    /// The target's deregistration delay ended.
    Deregistration,
    /// The target's process died or restarted.
    TargetFailure,
}

/// Time-weighted `HealthyHostCount`, `UnHealthyHostCount`, `AnomalousHostCount` and
/// `MitigatedHostCount` of one target group.
#[derive(Clone, Debug, Default)]
struct HostCounter {
    /// Healthy, unhealthy, anomalous, mitigated targets now.
    counts: [u32; 4],
    since: SimTime,
    /// Target-nanoseconds of each count this period.
    ns: [u128; 4],
}

impl HostCounter {
    fn advance(&mut self, now: SimTime) {
        let dt = u128::from(now.since(self.since).0);
        for (ns, &c) in self.ns.iter_mut().zip(&self.counts) {
            *ns += dt * u128::from(c);
        }
        self.since = now;
    }
}

impl Recorder {
    /// A recorder for `groups` target groups and `instances` instances, with metric period `period`
    /// over a run of length `run`.
    pub fn new(groups: usize, period: SimDuration, run: SimDuration) -> Recorder {
        let periods = run.0.div_ceil(period.0) as usize;
        Recorder {
            period,
            by_status: vec![0; 600],
            direct_latency: LatencyHistogram::new(),
            group_latency: (0..groups).map(|_| LatencyHistogram::new()).collect(),
            group_requests: vec![0; groups],
            period_target_rt: LatencyHistogram::new(),
            sums: PeriodSums::default(),
            connections: ConnectionCounter::new(period, periods),
            attempts: Attempts::default(),
            // Grows with the periods actually closed: reserving the whole run up front would
            // ask for gigabytes at once for a year in 1 s periods.
            rows: Vec::new(),
            total_requests: 0,
            hosts: vec![HostCounter::default(); groups],
            sticky: vec![(0, 0); groups],
            websockets: WebsocketResult::default(),
            period_quantiles: Vec::new(),
            activity: Vec::new(),
            activity_dropped: (0, SimTime::ZERO),
        }
    }

    /// A request reached the load balancer.
    #[inline]
    pub fn request_received(&mut self, bytes: u64) {
        self.total_requests += 1;
        self.sums.request_count += 1;
        self.sums.processed_bytes = self.sums.processed_bytes.saturating_add(bytes);
    }

    /// A response left the load balancer, `latency` after the request reached it. `group` is the
    /// target group the request was forwarded to, if any; `target_time` the time from sending to the
    /// target to its response (`TargetResponseTime`), when a target answered.
    #[inline(always)]
    pub fn response(
        &mut self,
        status: u16,
        origin: Origin,
        latency: SimDuration,
        group: Option<usize>,
        target_time: Option<SimDuration>,
        bytes: u64,
    ) {
        self.by_status[usize::from(status).min(599)] += 1;
        self.sums.processed_bytes = self.sums.processed_bytes.saturating_add(bytes);
        match group {
            Some(g) => {
                self.group_latency[g].record(latency);
                self.group_requests[g] += 1;
            }
            None => self.direct_latency.record(latency),
        }
        if let Some(t) = target_time {
            self.sums.target_rt_sum_ns += u128::from(t.0);
            self.sums.target_rt_count += 1;
            self.period_target_rt.record(t);
        }
        match origin {
            Origin::Target => self.sums.target.count(status),
            Origin::LoadBalancer => self.sums.elb.count(status),
        }
    }

    /// A `redirect` action answered.
    #[inline]
    pub fn redirect(&mut self) {
        self.sums.redirects += 1;
    }

    /// The load balancer could not connect to a target (`TargetConnectionErrorCount`).
    #[inline]
    pub fn target_connection_error(&mut self) {
        self.sums.target_connection_errors += 1;
    }

    /// A request carried a valid sticky cookie for `group`; `kept` if it reached the cookie's target.
    #[inline]
    pub fn sticky(&mut self, group: usize, kept: bool) {
        let s = &mut self.sticky[group];
        s.0 += 1;
        s.1 += u64::from(kept);
    }

    /// A WebSocket upgrade succeeded.
    pub fn websocket_opened(&mut self) {
        self.websockets.opened += 1;
    }

    /// WebSocket frames: `messages` data messages and `pings` ping/pong exchanges, `bytes` in all.
    #[inline]
    pub fn websocket_frames(&mut self, messages: u64, pings: u64, bytes: u64) {
        self.websockets.messages += messages;
        self.websockets.pings += pings;
        self.sums.processed_bytes = self.sums.processed_bytes.saturating_add(bytes);
    }

    /// A WebSocket connection closed.
    pub fn websocket_closed(&mut self, why: WsClose) {
        let w = &mut self.websockets;
        match why {
            WsClose::IdleTimeout => w.closed_by_idle_timeout += 1,
            WsClose::Deregistration => w.closed_by_deregistration += 1,
            WsClose::TargetFailure => w.closed_by_target_failure += 1,
        }
    }

    /// A target group's healthy and unhealthy target counts changed at `now`.
    pub fn host_counts(&mut self, group: usize, now: SimTime, healthy: u32, unhealthy: u32) {
        let h = &mut self.hosts[group];
        h.advance(now);
        h.counts[0] = healthy;
        h.counts[1] = unhealthy;
    }

    /// A target group's anomalous and mitigated target counts changed at `now` (Automatic
    /// Target Weights' `AnomalousHostCount`, `MitigatedHostCount`).
    pub fn anomaly_counts(&mut self, group: usize, now: SimTime, anomalous: u32, mitigated: u32) {
        let h = &mut self.hosts[group];
        h.advance(now);
        h.counts[2] = anomalous;
        h.counts[3] = mitigated;
    }

    /// Adds a line to the activity history; beyond [`ACTIVITY_LIMIT`] lines, only counts it.
    pub fn activity(&mut self, time: SimTime, subject: String, kind: ActivityKind) {
        if self.activity.len() >= ACTIVITY_LIMIT {
            self.activity_dropped = (self.activity_dropped.0 + 1, time);
            return;
        }
        self.activity.push(Activity {
            time_seconds: time.as_secs_f64(),
            subject,
            kind,
        });
    }

    /// A `fixed-response` action answered.
    #[inline]
    pub fn fixed_response(&mut self) {
        self.sums.fixed_responses += 1;
    }

    /// Closes the period ending at `end`; `cpu[i]` is instance `i`'s `CPUUtilization` over the
    /// period (`None` when it was not running).
    pub fn close_period(&mut self, end: SimTime, cpu: Vec<Option<f64>>) {
        let index = self.rows.len();
        let start = SimTime(index as u64 * self.period.0);
        let length = end.since(start);
        let (active, new) = self.connections.close_period(index);
        let secs = length.as_secs_f64().max(1e-9);
        let hosts: Vec<HostCounts> = self
            .hosts
            .iter_mut()
            .map(|h| {
                h.advance(end);
                let average = std::mem::take(&mut h.ns).map(|ns| ns as f64 / 1e9 / secs);
                HostCounts {
                    healthy: average[0],
                    unhealthy: average[1],
                    anomalous: average[2],
                    mitigated: average[3],
                }
            })
            .collect();
        let s = std::mem::take(&mut self.sums);
        // p50, p99, then the alarms' quantiles, in one pass; all empty when no target answered.
        let mut asked = vec![0.5, 0.99];
        asked.extend_from_slice(&self.period_quantiles);
        let secs_at: Vec<f64> = self
            .period_target_rt
            .quantiles_ns(&asked)
            .into_iter()
            .map(|ns| ns as f64 / 1e9)
            .collect();
        let at = |k: usize| secs_at.get(k).copied();
        let rt = (s.target_rt_count > 0)
            .then(|| s.target_rt_sum_ns as f64 / s.target_rt_count as f64 / 1e9);
        let quantiles = (0..self.period_quantiles.len())
            .map(|k| at(k + 2))
            .collect();
        self.period_target_rt.reset();
        self.rows.push(PeriodRow {
            start_seconds: start.as_secs_f64(),
            length_seconds: length.as_secs_f64(),
            request_count: s.request_count,
            target_response_time_avg: rt,
            target_response_time_p50: at(0),
            target_response_time_p99: at(1),
            target_response_time_quantiles: quantiles,
            elb: s.elb,
            target: s.target,
            redirect_count: s.redirects,
            fixed_response_count: s.fixed_responses,
            target_connection_error_count: s.target_connection_errors,
            hosts,
            active_connection_count: active,
            new_connection_count: new,
            processed_bytes: s.processed_bytes,
            groups: Vec::new(),
            alarms: Vec::new(),
            cpu_utilization: cpu.into(),
            queues: Vec::new(),
            topics: Vec::new(),
            consumers: Vec::new(),
            clients: self.attempts.close_period(),
        });
    }

    /// Also computes these `TargetResponseTime` quantiles (0–1) every period.
    pub fn set_period_quantiles(&mut self, quantiles: Vec<f64>) {
        self.period_quantiles = quantiles;
    }

    /// The last closed period.
    pub fn last_row(&self) -> Option<&PeriodRow> {
        self.rows.last()
    }

    /// Attaches the queues', topics' and worker programs' values to the last closed period.
    pub fn messaging_row(
        &mut self,
        queues: Vec<QueuePeriod>,
        topics: Vec<TopicPeriod>,
        consumers: Vec<ConsumerPeriod>,
    ) {
        if let Some(row) = self.rows.last_mut() {
            row.queues = queues;
            row.topics = topics;
            row.consumers = consumers;
        }
    }

    /// Attaches Auto Scaling capacity `(desired, in service, pending, terminating)` and alarm
    /// `(state code, latest datapoint)` to the last closed period.
    pub fn scaling_row(
        &mut self,
        groups: Vec<(u32, u32, u32, u32)>,
        alarms: Vec<(i32, Option<f64>)>,
    ) {
        if let Some(row) = self.rows.last_mut() {
            row.groups = groups
                .into_iter()
                .map(
                    |(desired, in_service, pending, terminating)| GroupCapacity {
                        desired,
                        in_service,
                        pending,
                        terminating,
                    },
                )
                .collect();
            row.alarms = alarms
                .into_iter()
                .map(|(state, value)| AlarmPoint { state, value })
                .collect();
        }
    }

    /// Number of periods closed so far.
    pub fn periods_closed(&self) -> usize {
        self.rows.len()
    }

    /// Finishes the run's record. `groups` and `instances` name the tables' rows in order.
    pub fn finish(mut self, groups: &[String], instances: Vec<InstanceResult>) -> RunResult {
        if let (dropped @ 1.., last) = self.activity_dropped {
            self.activity.push(Activity {
                time_seconds: last.as_secs_f64(),
                subject: "activity.log".to_string(),
                kind: ActivityKind::HistoryCut {
                    dropped,
                    kept: ACTIVITY_LIMIT,
                },
            });
        }
        let by_status = self
            .by_status
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(code, &n)| (code as u16, n))
            .collect();
        let mut all = self.direct_latency;
        for h in &self.group_latency {
            all.merge(h);
        }
        let target_groups = groups
            .iter()
            .zip(self.group_latency.iter().zip(&self.group_requests))
            .zip(&self.sticky)
            .map(|((name, (h, &n)), &(with_cookie, kept))| {
                let stickiness = (with_cookie > 0).then(|| StickyResult {
                    requests_with_cookie: with_cookie,
                    reached_session_target: kept,
                    share: kept as f64 / with_cookie as f64,
                });
                (
                    name.clone(),
                    GroupResult {
                        requests: n,
                        latency_ms: h.summary(),
                        stickiness,
                    },
                )
            })
            .collect();
        RunResult {
            model: String::new(),
            description: None,
            seed: 0,
            duration_seconds: 0.0,
            load_ends_seconds: None,
            period_seconds: self.period.as_secs_f64(),
            requests_total: self.total_requests,
            by_status,
            latency_ms: all.summary(),
            target_groups,
            target_group_order: groups.to_vec(),
            instances,
            periods: self.rows,
            activity: self.activity,
            websockets: (self.websockets.opened > 0).then_some(self.websockets),
            clients: self.attempts.finish(),
            auto_scaling_groups: Vec::new(),
            alarms: Vec::new(),
            queues: Vec::new(),
            topics: Vec::new(),
            consumers: Vec::new(),
            has_load_balancer: true,
            cost: Default::default(),
            events_processed: 0,
            wall_seconds: 0.0,
            end: RunEnd::Completed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A history longer than the limit keeps its first lines and says how many it dropped.
    #[test]
    fn activity_history_is_bounded_and_says_so() {
        let mut rec = Recorder::new(1, SimDuration::from_secs(60), SimDuration::from_secs(60));
        let n = ACTIVITY_LIMIT as u64 + 7;
        for k in 0..n {
            rec.activity(
                SimTime(k),
                String::new(),
                ActivityKind::Fault(Fault::HitsNothing),
            );
        }
        let r = rec.finish(&["g".to_string()], Vec::new());
        assert_eq!(r.activity.len(), ACTIVITY_LIMIT + 1);
        let last = r.activity.last().unwrap();
        assert_eq!(
            last.kind,
            ActivityKind::HistoryCut {
                dropped: 7,
                kept: ACTIVITY_LIMIT
            }
        );
        assert_eq!(
            last.message(),
            "7 later activities not kept: the history keeps the first 100000 (the last one dropped is at this time)"
        );
        assert_eq!(last.time_seconds, SimTime(n - 1).as_secs_f64());
    }

    /// Rows are not reserved for the whole run: a year in 1 s periods reserves nothing up front.
    #[test]
    fn nothing_is_reserved_for_the_run_length() {
        // See: issue 7, defect 4
        let year = SimDuration::from_secs(366 * 86_400);
        let rec = Recorder::new(3, SimDuration::from_secs(1), year);
        assert_eq!(rec.rows.capacity(), 0);
    }
}
