//! What the run would cost in us-east-1 (`aws-behavior.md` §9, §14).
//!
//! - EC2: per-second billing with a 60-second minimum, from launch (Pending counts) to termination
//!   (or the end of the run), at the instance type's on-demand price.
//! - ALB: every started hour at $0.0225, plus LCU-hours at $0.008. In each hour the LCUs are the
//!   largest of four dimensions: new connections per second / 25, active connections per minute /
//!   3,000, GB processed / 1, and rule evaluations per second / 1,000 (rule evaluations beyond the 10
//!   free ones are not modelled: albsim counts 0, which understates LCUs only for listeners with more
//!   than 10 rules). Prices are third-party summaries of the AWS price list (an assumption).
//!   A model without a load balancer (queues and workers alone) has no ALB cost.
//! - SQS: $0.40 per million requests to a standard queue, $0.50 to a FIFO queue. Every API call
//!   is a request, and each 64 KiB chunk of its payload another one (a 200 KiB `SendMessage` is 4);
//!   `ReceiveMessage` calls that return nothing (empty receives) count too, which is why long
//!   polling costs less than short polling. The engine counts each queue's billed requests and
//!   prices them (`QueueResult::cost_usd`); `cost.sqs` is their sum.
//! - SNS: $0.50 per million publishes (each 64 KiB chunk a request); deliveries to SQS queues are
//!   free. `cost.sns` is the sum of the topics' `TopicResult::cost_usd`.
//!
//! The free tiers (1 million SQS requests, 1 million SNS publishes a month) are ignored: the
//! figures are what the run's traffic costs once they are used up (an assumption).

use super::{InstanceResult, PeriodRow, RunResult};
use serde::Serialize;

/// ALB price per hour \[USD\], us-east-1.
pub const ALB_HOUR_USD: f64 = 0.0225;
/// ALB price per LCU-hour \[USD\], us-east-1.
pub const LCU_HOUR_USD: f64 = 0.008;

/// Cost of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct CostResult {
    /// EC2 on-demand cost \[USD\].
    pub ec2: f64,
    /// ALB hours and LCUs \[USD\] (0 without a load balancer).
    pub alb: f64,
    /// SQS requests \[USD\]; `None` (left out of `summary.json`) when the model has no queues.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sqs: Option<f64>,
    /// SNS publishes \[USD\]; `None` (left out of `summary.json`) when the model has no topics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sns: Option<f64>,
    /// `ec2 + alb + sqs + sns` \[USD\].
    pub total: f64,
    /// Instance-hours billed (after the 60 s minimum per instance).
    pub instance_hours: f64,
    /// LCU-hours (0 without a load balancer).
    pub lcu_hours: f64,
}

/// The hours instance `i` is billed for in a run of `run_seconds`: from launch to termination
/// (or the run's end), at least 60 s; `None` for an instance terminated the instant it launched
/// (never billed).
pub fn billed_hours(i: &InstanceResult, run_seconds: f64) -> Option<f64> {
    let end = i.terminated_seconds.unwrap_or(run_seconds).min(run_seconds);
    let alive = (end - i.launched_seconds).max(0.0);
    if alive <= 0.0 && i.terminated_seconds.is_some() {
        return None;
    }
    Some(alive.max(60.0) / 3600.0)
}

/// Computes the cost of `r`: EC2, the ALB (only when the model has one), SQS and SNS.
pub fn cost(r: &RunResult) -> CostResult {
    let mut ec2 = 0.0;
    let mut instance_hours = 0.0;
    for i in &r.instances {
        let Some(billed) = billed_hours(i, r.duration_seconds) else {
            continue;
        };
        instance_hours += billed;
        ec2 += billed * i.price_per_hour;
    }
    // LCUs hour by hour (the last hour may be partial: its LCUs count for the part that ran).
    // The period rows are in time order, so each hour's rows are the next run of them: one walk
    // over the rows for the whole run, not one scan per hour (a year at a 30 s period has a
    // million rows and 8,784 hours).
    debug_assert!(
        (r.periods.windows(2)).all(|w| w[0].start_seconds <= w[1].start_seconds),
        "period rows out of time order"
    );
    let mut lcu_hours = 0.0;
    let hours = (r.duration_seconds / 3600.0).ceil().max(1.0) as usize;
    let mut rest: &[PeriodRow] = &r.periods;
    for h in 0..hours {
        let (from, to) = (
            h as f64 * 3600.0,
            ((h + 1) as f64 * 3600.0).min(r.duration_seconds),
        );
        let span = to - from;
        if span <= 0.0 {
            continue;
        }
        // Rows that start before this hour belong to none (only possible before hour 0).
        let before = rest.iter().take_while(|p| p.start_seconds < from).count();
        let within = rest[before..]
            .iter()
            .take_while(|p| p.start_seconds < to)
            .count();
        let rows = &rest[before..before + within];
        rest = &rest[before + within..];
        let new_per_s = rows
            .iter()
            .map(|p| p.new_connection_count as f64)
            .sum::<f64>()
            / span;
        let minutes = rows.iter().map(|p| p.length_seconds).sum::<f64>() / 60.0;
        let active_per_min = if minutes > 0.0 {
            rows.iter()
                .map(|p| p.active_connection_count as f64 * p.length_seconds / 60.0)
                .sum::<f64>()
                / minutes
        } else {
            0.0
        };
        let gb_per_hour =
            rows.iter().map(|p| p.processed_bytes as f64).sum::<f64>() / 1e9 * 3600.0 / span;
        let lcus = (new_per_s / 25.0)
            .max(active_per_min / 3000.0)
            .max(gb_per_hour);
        lcu_hours += lcus * span / 3600.0;
    }
    let (alb, lcu_hours) = if r.has_load_balancer {
        (
            hours as f64 * ALB_HOUR_USD + lcu_hours * LCU_HOUR_USD,
            lcu_hours,
        )
    } else {
        (0.0, 0.0)
    };
    let sqs = (!r.queues.is_empty()).then(|| r.queues.iter().map(|q| q.cost_usd).sum::<f64>());
    let sns = (!r.topics.is_empty()).then(|| r.topics.iter().map(|t| t.cost_usd).sum::<f64>());
    // Added in this order so a model without queues or topics totals exactly `ec2 + alb`.
    let mut total = ec2 + alb;
    if let Some(sqs) = sqs {
        total += sqs;
    }
    if let Some(sns) = sns {
        total += sns;
    }
    CostResult {
        ec2,
        alb,
        sqs,
        sns,
        total,
        instance_hours,
        lcu_hours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{SimDuration, SimTime};
    use crate::recorder::Recorder;

    /// A run of `seconds` with one period row every `period` seconds, each opening
    /// `new_connections` client connections.
    fn run_with_rows(seconds: u64, period: u64, new_connections: u64) -> RunResult {
        let mut rec = Recorder::new(
            0,
            SimDuration::from_secs(period),
            SimDuration::from_secs(seconds),
        );
        rec.close_period(SimTime::ZERO + SimDuration::from_secs(period), Vec::new());
        let mut r = rec.finish(&[], Vec::new());
        let template = r.periods.pop().expect("one row");
        r.duration_seconds = seconds as f64;
        r.periods = (0..seconds.div_ceil(period))
            .map(|k| PeriodRow {
                start_seconds: (k * period) as f64,
                length_seconds: (period.min(seconds - k * period)) as f64,
                new_connection_count: new_connections,
                ..template.clone()
            })
            .collect();
        r
    }

    #[test]
    fn lcus_count_each_hours_new_connections() {
        // 90 minutes at a 60 s period, 3,000 new connections a minute: 50 per second, 2 LCUs
        // (25 new connections per second each) in the full hour and in the half hour after it.
        let r = run_with_rows(5400, 60, 3000);
        let c = cost(&r);
        assert!((c.lcu_hours - 3.0).abs() < 1e-9, "{}", c.lcu_hours);
        assert!((c.alb - (2.0 * ALB_HOUR_USD + 3.0 * LCU_HOUR_USD)).abs() < 1e-12);
    }

    /// A queue and a topic whose requests cost `sqs` and `sns` \[USD\].
    fn with_messaging(mut r: RunResult, sqs: f64, sns: f64) -> RunResult {
        r.queues = vec![super::super::QueueResult {
            name: "orders".into(),
            cost_usd: sqs,
            ..Default::default()
        }];
        r.topics = vec![super::super::TopicResult {
            name: "order-events".into(),
            cost_usd: sns,
            ..Default::default()
        }];
        r
    }

    #[test]
    fn sqs_and_sns_add_to_the_total_only_for_models_with_them() {
        let r = run_with_rows(5400, 60, 3000);
        let plain = cost(&r);
        assert_eq!((plain.sqs, plain.sns), (None, None));
        assert_eq!(plain.total, plain.ec2 + plain.alb);
        // 2,500,000 standard requests ($0.40 per million) and 1,000,000 publishes ($0.50).
        let c = cost(&with_messaging(r, 2.5 * 0.40, 0.50));
        assert_eq!((c.sqs, c.sns), (Some(1.0), Some(0.5)));
        assert!((c.total - (plain.total + 1.5)).abs() < 1e-12, "{c:?}");
        assert_eq!((c.alb, c.lcu_hours), (plain.alb, plain.lcu_hours));
    }

    #[test]
    fn without_a_load_balancer_there_is_no_alb_cost() {
        let mut r = with_messaging(run_with_rows(5400, 60, 3000), 0.25, 0.125);
        r.has_load_balancer = false;
        let c = cost(&r);
        assert_eq!((c.alb, c.lcu_hours), (0.0, 0.0));
        assert!((c.total - (c.ec2 + 0.25 + 0.125)).abs() < 1e-12, "{c:?}");
    }

    #[test]
    fn cost_of_a_year_of_rows_is_linear() {
        // See: issue 7, defect 4
        // (a long run's per-period rows must not make it explode). 366 days at a 30 s period: 1,054,080 rows and 8,784 hours. Rescanning every row for
        // every hour (9.3·10^9 comparisons) took 45 s; one walk over the rows takes milliseconds,
        // even unoptimised.
        let r = run_with_rows(366 * 86_400, 30, 750);
        let started = std::time::Instant::now();
        let c = cost(&r);
        let wall = started.elapsed();
        assert!(
            wall < std::time::Duration::from_secs(5),
            "cost of a year took {wall:?}"
        );
        // 750 new connections per 30 s = 25 per second = 1 LCU for every one of the 8,784 hours.
        assert!((c.lcu_hours - 8784.0).abs() < 1e-6, "{}", c.lcu_hours);
    }
}
