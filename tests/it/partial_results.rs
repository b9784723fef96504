//! A run stopped by a guard (`--max-events`) is honest about what it covers: its duration is the
//! simulated time reached, the period in progress is closed there (so per-period counts sum to
//! the totals), and instance lifetimes and cost end there.

use crate::common::{client, exponential_ms, group, http_listener, instance, model, poisson};
use serde_json::json;

fn scenario() -> albsim::Scenario {
    let m = model(
        "partial",
        3,
        600.0,
        json!([client("c", poisson(200.0), exponential_ms(20.0))]),
        json!([http_listener(json!([]), "tg")]),
        json!([group("tg", &["i-1", "i-2"], "round_robin")]),
        json!([instance("i-1", "test.c2", 2), instance("i-2", "test.c2", 2)]),
    );
    albsim::scenario::from_json(&m.to_string(), "partial.json".as_ref()).unwrap()
}

#[test]
fn a_run_stopped_by_max_events_covers_the_time_reached() {
    let sc = scenario();
    let full = albsim::run(&sc);
    // About 3 events per request at 200 req/s: 100 000 events is about 2.8 simulated minutes.
    let mut opts = albsim::RunOptions {
        max_events: Some(100_000),
        ..Default::default()
    };
    let r = albsim::run_with(&sc, &mut opts).unwrap();
    assert_eq!(r.end, albsim::RunEnd::MaxEvents);
    assert_eq!(r.events_processed, 100_000);
    assert!(
        r.duration_seconds > 60.0 && r.duration_seconds < 600.0,
        "reached {} s",
        r.duration_seconds
    );
    // Periods: full minutes, then one short period ending at the time reached.
    let last = r.periods.last().unwrap();
    let covered = last.start_seconds + last.length_seconds;
    assert!(
        (covered - r.duration_seconds).abs() < 1e-9,
        "{covered} vs {}",
        r.duration_seconds
    );
    assert!(last.length_seconds < 60.0);
    assert!(
        r.periods[..r.periods.len() - 1]
            .iter()
            .all(|p| p.length_seconds == 60.0)
    );
    // Per-period counts sum to the totals.
    let requests: u64 = r.periods.iter().map(|p| p.request_count).sum();
    assert_eq!(requests, r.requests_total);
    let answered: u64 = r.periods.iter().map(|p| p.target.c2xx + p.elb.c2xx).sum();
    assert_eq!(answered, r.responses());
    // The same periods as the full run up to the cut: the first minute is identical.
    assert_eq!(r.periods[0], full.periods[0]);
    // Lifetimes and cost end at the time reached: 2 instances × the time reached × $0.1/h.
    for i in &r.instances {
        assert_eq!(i.terminated_seconds, None);
        assert_eq!(i.launched_seconds, 0.0);
    }
    let hours = r.duration_seconds / 3600.0;
    assert!(
        (r.cost.instance_hours - 2.0 * hours).abs() < 1e-9,
        "{:?}",
        r.cost
    );
    assert!(
        (r.cost.ec2 - 2.0 * hours * 0.1).abs() < 1e-9,
        "{:?}",
        r.cost
    );
    assert!(r.cost.instance_hours < full.cost.instance_hours);
}
