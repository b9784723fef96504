//! `experiments/visibility-timeout.json`: VisibilityTimeout 10…120 s on the sqs-messages-reappear
//! model (6 orders a minute, Poisson; 8 long-polling pollers, at most one per vCPU; jobs of 20 to
//! 70 s, uniform; maxReceiveCount 3 to a DLQ; DeleteMessage after the job, its call 10 ms after the
//! receive's answer).

use super::sweep_shipped;

/// The longest job plus the receive's answer and the delete call's 10 ms each [s]: a timeout
/// longer than this cannot expire while a worker holds the message.
const LONGEST_HOLD: f64 = 70.0 + 2.0 * 0.010;

#[test]
fn duplicates_vanish_once_the_visibility_timeout_outlasts_the_longest_job() {
    let s = sweep_shipped("visibility-timeout");
    let model = crate::common::model_file_json("sqs-messages-reappear");
    let d = &model["consumers"][0]["processing_time"];
    assert_eq!(
        (d["min_ms"].as_f64(), d["max_ms"].as_f64()),
        (Some(20_000.0), Some(70_000.0)),
        "the model changed: revisit this test"
    );
    let points = s.points();
    let timeouts: Vec<f64> = points.iter().map(|p| p.num("visibility_timeout")).collect();
    assert_eq!(timeouts, [10.0, 20.0, 30.0, 45.0, 60.0, 75.0, 90.0, 120.0]);
    for p in &points {
        let v = p.num("visibility_timeout");
        let duplicates = s.runs(p.index(), "duplicate_processings");
        let dlq = s.runs(p.index(), "moved_to_dlq");
        if v > LONGEST_HOLD {
            // No job outlasts its receive: every run, not just on average.
            assert!(
                duplicates.iter().all(|&x| x == 0.0),
                "V = {v}: {duplicates:?}"
            );
            assert!(dlq.iter().all(|&x| x == 0.0), "V = {v}: {dlq:?}");
            // An order's latency is at least its job: p99 ≥ the jobs' p99 (69.5 s) less the
            // sample p99's error over ~350 orders (standard error ≈ 0.27 s; 99.9 %: 0.9 s).
            for q in s.runs(p.index(), "latency_p99_ms") {
                assert!(q >= 68_600.0, "V = {v}: p99 {q} ms");
            }
        } else {
            // A share (70 − V) / 50 of the jobs outlast V (all of them below 20 s): with idle
            // pollers (the orders need 56 % of them) such orders are received again. Hundreds of
            // orders a run: every run has some.
            assert!(
                duplicates.iter().all(|&x| x > 0.0),
                "V = {v}: {duplicates:?}"
            );
        }
        // Every sent order is deleted, moved, or still in the queue; never more deleted than sent.
        for (sent, deleted) in s
            .runs(p.index(), "sent")
            .into_iter()
            .zip(s.runs(p.index(), "deleted"))
        {
            assert!(deleted <= sent);
        }
        assert!(p.mean("sqs_cost_usd") > 0.0);
    }
    // Fewer jobs outlast a longer timeout: duplicates and wasted CPU do not rise with V
    // (intervals may overlap), and the ends are intervals apart.
    for w in points.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let what = format!(
            "V {} → {}",
            a.num("visibility_timeout"),
            b.num("visibility_timeout")
        );
        for m in [
            "duplicate_processings",
            "wasted_cpu_seconds",
            "moved_to_dlq",
        ] {
            assert!(b.ci(m).0 <= a.ci(m).1 + 1e-9, "{what}: {m} rises");
        }
    }
    let (v30, v75) = (&points[2], &points[5]);
    assert!(
        v75.ci("latency_p99_ms").1 < v30.ci("latency_p99_ms").0,
        "late orders at 30 s"
    );
    assert!(
        v75.ci("deleted").0 > v30.ci("deleted").1,
        "throughput recovers"
    );
    assert!(
        points[0].ci("moved_to_dlq").0 > 0.0,
        "V = 10 s fills the DLQ"
    );
    // The objective: the smallest listed timeout above the longest hold.
    let best = s.best("smallest VisibilityTimeout with no duplicate processing");
    let want = timeouts.iter().position(|&v| v > LONGEST_HOLD).unwrap();
    assert_eq!(best, vec![(String::new(), Some(want))]);
}
