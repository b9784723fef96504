//! `activity.log`: what happened and why, one line per event, in time order.
//!
//! ```text
//! 0:05:00.000  fault          web-1       crash: in-flight requests are reset, new connections refused (for 240 s)
//! 0:05:21.334  target-health  web/web-1   healthy -> unhealthy  Target.FailedHealthChecks: 2 consecutive health checks failed (UnhealthyThresholdCount): connection refused
//! 0:06:10.250  sqs            orders      message 17 received again (ApproximateReceiveCount 2): it was not deleted within the VisibilityTimeout of 30 s (30.0 s since its previous receive); later redeliveries are counted in summary.json
//! ```

use crate::engine::SimTime;
use crate::recorder::RunResult;
use std::fmt::Write;

/// The `activity.log` text of a run.
pub fn to_text(r: &RunResult) -> String {
    let kind_w = (r.activity.iter())
        .map(|a| a.kind.name().len())
        .max()
        .unwrap_or(0);
    let subject_w = r
        .activity
        .iter()
        .map(|a| a.subject.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    if r.activity.is_empty() {
        out.push_str(if r.queues.is_empty() {
            "(no activity: no health transitions, faults, registrations, alarms or scaling)\n"
        } else {
            "(no activity: no health transitions, faults, registrations, alarms, scaling or queue events worth telling)\n"
        });
    }
    for a in &r.activity {
        let t = SimTime((a.time_seconds * 1e9).round() as u64);
        let _ = writeln!(
            out,
            "{t}  {:<kind_w$}  {:<subject_w$}  {}",
            a.kind.name(),
            a.subject,
            a.kind
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_lines_print_like_the_others() {
        let mut r = crate::report::test_support::messaging_result();
        let text = to_text(&r);
        assert_eq!(
            text,
            "0:01:15.000  sqs  orders  message 17 received again (ApproximateReceiveCount 2): it was not deleted within the VisibilityTimeout of 30 s (30.0 s since its previous receive); later redeliveries are counted in summary.json\n"
        );
        r.activity.clear();
        assert!(to_text(&r).contains("queue events"));
    }
}
