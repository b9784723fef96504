//! What the run would cost in us-east-1 (`aws-behavior.md` §9, §14).
//!
//! - EC2: per-second billing with a 60-second minimum, from launch (Pending counts) to termination
//!   (or the end of the run), at the instance type's on-demand price.
//! - ALB: every started hour at $0.0225, plus LCU-hours at $0.008. In each hour the LCUs are the
//!   largest of four dimensions: new connections per second / 25, active connections per minute /
//!   3,000, GB processed / 1, and rule evaluations per second / 1,000 (rule evaluations beyond the 10
//!   free ones are not modelled: albsim counts 0, which understates LCUs only for listeners with more
//!   than 10 rules). Prices are third-party summaries of the AWS price list (an assumption).

use crate::recorder::RunResult;
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
    /// ALB hours and LCUs \[USD\].
    pub alb: f64,
    /// `ec2 + alb` \[USD\].
    pub total: f64,
    /// Instance-hours billed (after the 60 s minimum per instance).
    pub instance_hours: f64,
    /// LCU-hours.
    pub lcu_hours: f64,
}

/// Computes the cost of `r`.
pub fn cost(r: &RunResult) -> CostResult {
    let mut ec2 = 0.0;
    let mut instance_hours = 0.0;
    for i in &r.instances {
        let end = i
            .terminated_seconds
            .unwrap_or(r.duration_seconds)
            .min(r.duration_seconds);
        let alive = (end - i.launched_seconds).max(0.0);
        if alive <= 0.0 && i.terminated_seconds.is_some() {
            continue;
        }
        let billed = alive.max(60.0) / 3600.0;
        instance_hours += billed;
        ec2 += billed * i.price_per_hour;
    }
    // LCUs hour by hour (the last hour may be partial: its LCUs count for the part that ran).
    let mut lcu_hours = 0.0;
    let hours = (r.duration_seconds / 3600.0).ceil().max(1.0) as usize;
    for h in 0..hours {
        let (from, to) = (
            h as f64 * 3600.0,
            ((h + 1) as f64 * 3600.0).min(r.duration_seconds),
        );
        let span = to - from;
        if span <= 0.0 {
            continue;
        }
        let rows: Vec<_> = r
            .periods
            .iter()
            .filter(|p| p.start_seconds >= from && p.start_seconds < to)
            .collect();
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
    let alb = hours as f64 * ALB_HOUR_USD + lcu_hours * LCU_HOUR_USD;
    CostResult {
        ec2,
        alb,
        total: ec2 + alb,
        instance_hours,
        lcu_hours,
    }
}
