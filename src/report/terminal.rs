//! The short human summary printed after a run.

mod messaging;

use super::summary::Partial;
use crate::recorder::RunEnd;
use crate::recorder::{AsgResult, ClientResult, RunResult};
use std::fmt::Write;

use crate::engine::human::{human_duration, thousands};

/// The summary text of a run (several lines, ending in a newline), marked partial as
/// [`Partial::of`] says (the simulated time asked for unknown): the same as [`summary_with`] for
/// a run that completed.
pub fn summary(r: &RunResult) -> String {
    summary_with(r, Partial::of(r, None).as_ref())
}

/// The summary text of a run; with `partial` (from [`Partial::of`]) it stands between two lines
/// that say the results are partial, how far the run got and why.
pub fn summary_with(r: &RunResult, partial: Option<&Partial>) -> String {
    let Some(p) = partial else {
        return totals(r);
    };
    let guard = match p.stopped_by {
        RunEnd::MaxEvents => format!(
            "--max-events stopped it after {} events",
            thousands(r.events_processed)
        ),
        RunEnd::MaxWall => format!(
            "--max-wall stopped it after {:.1} s wall-clock time",
            r.wall_seconds
        ),
        RunEnd::Completed => "it completed".into(),
    };
    let reached = human_duration(p.simulated_seconds_reached);
    let reached = match p.simulated_seconds_requested {
        Some(requested) if requested > 0.0 => format!(
            "{reached} of {} simulated ({:.0} %)",
            human_duration(requested),
            100.0 * p.simulated_seconds_reached / requested
        ),
        _ => format!("{reached} simulated"),
    };
    format!(
        "PARTIAL RESULTS: the run ended early, at {reached}: {guard}.\n\
         The results below cover only the simulated time reached.\n\n\
         {}\n\
         PARTIAL RESULTS (summary.json says \"partial\"): the run stopped at {reached}.\n",
        totals(r)
    )
}

/// What the end users of a client that retries or times out saw: two lines.
fn end_users(o: &mut String, c: &ClientResult) {
    let share = |n: u64, of: u64| {
        if of == 0 {
            0.0
        } else {
            100.0 * n as f64 / of as f64
        }
    };
    let _ = writeln!(
        o,
        "  end users  {}: {} requests, {:.1} % succeeded; {} retries ({:.1} % of its {} requests to the ALB), {} timeouts (460), {} retries refused by the quota",
        c.name,
        thousands(c.requests),
        share(c.succeeded, c.requests),
        thousands(c.retries),
        100.0 * c.retry_share,
        thousands(c.attempts),
        thousands(c.timeouts),
        thousands(c.quota_refused),
    );
    if let Some(l) = &c.latency_ms {
        let _ = writeln!(
            o,
            "             first attempt to last answer: mean {:.1} ms   p50 {:.1}   p99 {:.1}   max {:.1} ms",
            l.mean, l.p50, l.p99, l.max
        );
    }
}

/// The summary's figures (several lines, ending in a newline).
fn totals(r: &RunResult) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: {} simulated (seed {}) in {:.2} s wall, {} events",
        r.model,
        human_duration(r.duration_seconds),
        r.seed,
        r.wall_seconds,
        thousands(r.events_processed)
    );
    if r.has_load_balancer {
        requests(&mut o, r);
    }
    if let Some(l) = &r.latency_ms {
        let _ = writeln!(
            o,
            "  latency    mean {:.1} ms   p50 {:.1}   p90 {:.1}   p99 {:.1}   p99.9 {:.1}   max {:.1} ms",
            l.mean, l.p50, l.p90, l.p99, l.p999, l.max
        );
    }
    for c in &r.clients {
        end_users(&mut o, c);
    }
    if !r.target_groups.is_empty() {
        let w = r
            .target_groups
            .keys()
            .map(String::len)
            .max()
            .unwrap_or(0)
            .max(12);
        let _ = writeln!(
            o,
            "\n  {:<w$}  {:>10}  {:>9}  {:>9}  {:>9}",
            "target group", "requests", "mean ms", "p50 ms", "p99 ms"
        );
        for (name, g) in &r.target_groups {
            match &g.latency_ms {
                Some(l) => {
                    let _ = writeln!(
                        o,
                        "  {name:<w$}  {:>10}  {:>9.1}  {:>9.1}  {:>9.1}",
                        thousands(g.requests),
                        l.mean,
                        l.p50,
                        l.p99
                    );
                }
                None => {
                    let _ = writeln!(
                        o,
                        "  {name:<w$}  {:>10}  {:>9}  {:>9}  {:>9}",
                        0, "-", "-", "-"
                    );
                }
            }
        }
    }
    if let Some(w) = &r.websockets {
        let _ = writeln!(
            o,
            "  websocket  {} opened; closed by idle timeout {}, by deregistration {}, by target failure {}; {} messages, {} pings",
            thousands(w.opened),
            thousands(w.closed_by_idle_timeout),
            thousands(w.closed_by_deregistration),
            thousands(w.closed_by_target_failure),
            thousands(w.messages),
            thousands(w.pings)
        );
    }
    for (name, g) in &r.target_groups {
        if let Some(st) = &g.stickiness {
            let _ = writeln!(
                o,
                "  sticky     {name}: {:.1} % of {} requests with a cookie reached their session's target",
                100.0 * st.share,
                thousands(st.requests_with_cookie)
            );
        }
    }
    for a in &r.auto_scaling_groups {
        let _ = writeln!(
            o,
            "  asg        {}: {} scale-out, {} scale-in, {} replaced; capacity avg {:.2}, max {} InService; {} instances launched",
            a.name,
            a.scale_out_activities,
            a.scale_in_activities,
            a.unhealthy_replacements,
            a.average_in_service,
            a.max_in_service,
            a.instances_launched
        );
        if let Some(line) = return_line(a, r) {
            let _ = writeln!(o, "             {line}");
        }
    }
    messaging::lines(&mut o, r);
    cost(&mut o, r);
    if !r.instances.is_empty() {
        let w = r
            .instances
            .iter()
            .map(|i| i.id.len())
            .max()
            .unwrap_or(0)
            .max(8);
        // Without a load balancer no instance completes a request: no such column.
        let completed = |text: &str| {
            if r.has_load_balancer {
                format!("  {text:>10}")
            } else {
                String::new()
            }
        };
        let _ = writeln!(
            o,
            "\n  {:<w$}  {:<11}  {:<12}  {:>6}{}",
            "instance",
            "type",
            "AZ",
            "CPU %",
            completed("completed")
        );
        for i in &r.instances {
            let _ = writeln!(
                o,
                "  {:<w$}  {:<11}  {:<12}  {:>6.1}{}",
                i.id,
                i.instance_type,
                i.availability_zone,
                i.cpu_utilization,
                completed(&thousands(i.requests_completed))
            );
        }
    }
    if !r.activity.is_empty() {
        const SHOWN: usize = 12;
        let _ = writeln!(o, "\n  activity (activity.log)");
        let text = super::activity_log::to_text(r);
        for line in text.lines().take(SHOWN) {
            let _ = writeln!(o, "  {line}");
        }
        if r.activity.len() > SHOWN {
            let _ = writeln!(o, "  … {} more in activity.log", r.activity.len() - SHOWN);
        }
    }
    o
}

/// The `requests` and `status` lines: what reached the load balancer and how it was answered.
fn requests(o: &mut String, r: &RunResult) {
    let _ = writeln!(
        o,
        "  requests   {} received, {} answered, {} in flight at the end",
        thousands(r.requests_total),
        thousands(r.responses()),
        thousands(r.in_flight_at_end())
    );
    let statuses: Vec<String> = r
        .by_status
        .iter()
        .map(|(c, n)| format!("{c}: {}", thousands(*n)))
        .collect();
    let _ = writeln!(
        o,
        "  status     {}",
        if statuses.is_empty() {
            "none".into()
        } else {
            statuses.join("   ")
        }
    );
}

/// The `cost` line: the total and its parts (the ALB only with a load balancer, SQS and SNS only
/// with queues and topics).
fn cost(o: &mut String, r: &RunResult) {
    let c = &r.cost;
    let mut line = format!(
        "  cost       ${:.4} total: EC2 ${:.4} ({:.2} instance-hours)",
        c.total, c.ec2, c.instance_hours
    );
    if r.has_load_balancer {
        let _ = write!(line, ", ALB ${:.4} ({:.3} LCU-hours)", c.alb, c.lcu_hours);
    }
    if let Some(sqs) = c.sqs {
        let _ = write!(line, ", SQS ${sqs:.4}");
    }
    if let Some(sns) = c.sns {
        let _ = write!(line, ", SNS ${sns:.4}");
    }
    let _ = writeln!(o, "{line}");
}

/// How long after the load's end group `a` was back at its starting capacity, for the line
/// under its `asg` line; `None` when the load never ends, or ends after the run.
fn return_line(a: &AsgResult, r: &RunResult) -> Option<String> {
    let end = r.load_ends_seconds.filter(|&t| t <= r.duration_seconds)?;
    let (start, ended) = (a.starting_capacity, human_duration(end));
    Some(match a.seconds_from_load_end_to_starting_capacity {
        Some(0.0) => format!("at its starting capacity ({start}) when the load ended at {ended}"),
        Some(after) => format!(
            "back at its starting capacity ({start}) {} after the load ended at {ended}",
            human_duration(after)
        ),
        None => format!(
            "not back at its starting capacity ({start}) at the run's end (the load ended at {ended})"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_results_say_so_above_and_below_the_summary() {
        let r = RunResult {
            end: RunEnd::MaxWall,
            duration_seconds: 900.0,
            ..crate::report::summary::tests::result()
        };
        let text = summary_with(&r, Partial::of(&r, Some(3600.0)).as_ref());
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("PARTIAL RESULTS: the run ended early, at 15m of 1h simulated (25 %): --max-wall stopped it after "),
            "{text}"
        );
        assert!(text.contains(&totals(&r)), "the whole summary is there");
        assert!(
            totals(&r).starts_with("t: 15m simulated (seed 3)"),
            "{text}"
        );
        assert_eq!(
            *lines.last().unwrap(),
            "PARTIAL RESULTS (summary.json says \"partial\"): the run stopped at 15m of 1h simulated (25 %)."
        );
        // Without the model's duration: how far it got only.
        let text = summary(&r);
        assert!(
            text.starts_with("PARTIAL RESULTS: the run ended early, at 15m simulated: --max-wall"),
            "{text}"
        );
    }

    #[test]
    fn a_complete_run_has_no_partial_lines() {
        let r = crate::report::summary::tests::result();
        assert_eq!(summary(&r), totals(&r));
        assert_eq!(summary_with(&r, None), totals(&r));
        assert!(
            totals(&r).starts_with("t: 1m simulated (seed 3)"),
            "{}",
            totals(&r)
        );
    }

    #[test]
    fn a_queue_model_shows_its_queues_topics_and_workers() {
        let r = crate::report::test_support::messaging_result();
        let text = totals(&r);
        let lines: Vec<&str> = text.lines().collect();
        let k = lines
            .iter()
            .position(|l| l.starts_with("  sqs "))
            .expect(&text);
        assert_eq!(
            lines[k],
            "  sqs        orders: 100 sent, 103 received (3 redelivered), 100 deleted, 2 moved to the DLQ, 1 expired"
        );
        assert_eq!(
            lines[k + 1],
            "             3 duplicate processings, 420 empty receives, 4 lost with a worker, 1 stale-receipt deletes; message latency p50 1.8 s, p99 31.0 s"
        );
        assert_eq!(
            lines[k + 2],
            "             backlog at the end 0 visible, 0 in flight; max 20 visible, oldest message 48s; $0.0003 (700 requests)"
        );
        assert_eq!(
            lines[k + 3],
            "  sns        order-events: 100 published, 150 delivered, 50 filtered out; $0.0001"
        );
        assert_eq!(
            lines[k + 4],
            "  workers    order-worker (orders): 105 processed, 2 failed, 100 deleted; pollers 62.5 % busy, 4.5 CPU-seconds wasted"
        );
        let c = &r.cost;
        assert_eq!(
            lines[k + 5],
            format!(
                "  cost       ${:.4} total: EC2 ${:.4} ({:.2} instance-hours), SQS $0.0003, SNS $0.0001",
                c.total, c.ec2, c.instance_hours
            )
        );
    }

    #[test]
    fn without_a_load_balancer_no_request_figures_are_printed() {
        let r = crate::report::test_support::messaging_result();
        let text = totals(&r);
        for absent in ["  requests ", "  status ", "  latency ", "  target group"] {
            assert!(
                !text.lines().any(|l| l.starts_with(absent)),
                "{absent}: {text}"
            );
        }
        assert!(
            !text.contains("ALB") && !text.contains("completed"),
            "{text}"
        );
        // The instance table keeps its other columns.
        assert!(
            text.contains("  instance  type         AZ             CPU %\n"),
            "{text}"
        );
        assert!(
            text.contains("  worker-1  t3.micro     us-east-1a      62.5\n"),
            "{text}"
        );
        // The queue's activity line is shown with the others.
        assert!(
            text.contains("sqs  orders  message 17 received again"),
            "{text}"
        );
    }

    #[test]
    fn the_asg_line_says_when_the_group_was_back_after_the_load() {
        let group = |after: Option<f64>| AsgResult {
            name: "g".into(),
            starting_capacity: 2,
            instance_hours: 1.0,
            returned_to_starting_capacity_seconds: after.map(|a| 1800.0 + a),
            seconds_from_load_end_to_starting_capacity: after,
            scale_out_activities: 1,
            scale_in_activities: 1,
            unhealthy_replacements: 0,
            instances_launched: 4,
            average_desired_capacity: 3.0,
            average_in_service: 3.0,
            max_in_service: 4,
        };
        let run = |load_end: Option<f64>, after: Option<f64>| RunResult {
            duration_seconds: 7800.0,
            load_ends_seconds: load_end,
            auto_scaling_groups: vec![group(after)],
            ..crate::report::summary::tests::result()
        };
        let line_after_asg = |r: &RunResult| {
            let text = totals(r);
            let lines: Vec<&str> = text.lines().collect();
            let k = lines.iter().position(|l| l.starts_with("  asg ")).unwrap();
            lines[k + 1].to_string()
        };
        assert_eq!(
            line_after_asg(&run(Some(1800.0), Some(4500.0))),
            "             back at its starting capacity (2) 1h 15m after the load ended at 30m"
        );
        assert_eq!(
            line_after_asg(&run(Some(1800.0), Some(0.0))),
            "             at its starting capacity (2) when the load ended at 30m"
        );
        assert_eq!(
            line_after_asg(&run(Some(1800.0), None)),
            "             not back at its starting capacity (2) at the run's end (the load ended at 30m)"
        );
        // No load end, or one after the run: no line.
        for load_end in [None, Some(9000.0)] {
            assert!(line_after_asg(&run(load_end, None)).starts_with("  cost "));
        }
    }
}
