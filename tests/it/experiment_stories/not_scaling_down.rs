//! `experiments/not-scaling-down.json`: monitoring × warm-up × policy on the not-scaling-down
//! model (t3.small: 2 vCPUs; MinSize 2; 40 req/s, 160 req/s from 10:00 to 30:00; 20 ms of CPU per
//! request). By the utilisation law the test runs at 160 · 0.02 / (N · 2) = 80 % on 2 instances,
//! 53 % on 3, 40 % on 4; after it, 4 instances run at 10 %.

use super::{Point, sweep_shipped};

/// The cooldown [s] of a simple-scaling case, from its name ("simple scaling 300 s").
fn cooldown(policy: &str) -> Option<f64> {
    let s = policy.strip_prefix("simple scaling ")?.strip_suffix(" s")?;
    Some(s.parse().expect("a cooldown in seconds"))
}

#[test]
fn not_scaling_down_target_tracking_waits_for_15_datapoints_simple_scaling_for_the_cooldown() {
    let s = sweep_shipped("not-scaling-down");
    let points = s.points();
    assert_eq!(points.len(), 2 * 3 * 4, "monitoring × warm-up × policy");
    for p in &points {
        let k = p.index();
        let what = format!(
            "point {k} ({}, warm-up {}, {})",
            p.cell("monitoring"),
            p.cell("warmup"),
            p.cell("policy")
        );
        let back = s.runs(k, "back_s");
        let scale_ins = s.runs(k, "scale_in_activities");
        match (p.cell("policy"), p.cell("monitoring")) {
            // Basic: the low alarm (< 45 % = 0.9 × 50) needs 15 five-minute datapoints. The group
            // reaches 4 at 25:00 (3 datapoints above 50 from 10:00), and the new instances take
            // traffic only after their launch (lognormal, median 60 s) and first health check, so
            // the 25:00–30:00 datapoint is at least (1 min · 80 % + 4 min · 40 %)/5 = 48 % > 45 %:
            // the count starts with the 30:00–35:00 datapoint and ends at 30:00 + 15 · 5 min.
            // ceil(4 · 10 / 50) = 1 takes the group straight to MinSize 2 in one activity. The
            // warm-up (≤ 300 s after 25:00) is over long before; it plays no part.
            ("target tracking", "basic") => {
                for (r, &b) in back.iter().enumerate() {
                    assert_eq!(b, 15.0 * 300.0, "{what} replication {r}: back_s");
                }
                assert!(scale_ins.iter().all(|&n| n == 1.0), "{what}: {scale_ins:?}");
            }
            // Detailed: 1-minute datapoints. The high alarm fires at 13:00 (3 datapoints at 80 %),
            // the 4 instances carry the test at 40 % < 45 % from about 15:00, so by 30:00 the low
            // alarm has its 15 datapoints and is in ALARM already; only ceil(4 · 40 / 50) = 4
            // keeps 4 instances. The first datapoint after the test (30:00–31:00, 10 %) gives
            // ceil(4 · 10 / 50) = 1 → MinSize 2: back one minute after the load's end.
            ("target tracking", "detailed") => {
                for (r, &b) in back.iter().enumerate() {
                    assert_eq!(b, 60.0, "{what} replication {r}: back_s");
                }
                assert!(scale_ins.iter().all(|&n| n == 1.0), "{what}: {scale_ins:?}");
            }
            // Simple scaling: CPU ≥ 26.7 % (160 req/s on MaxSize 6) all through the test, so the
            // -1 alarm (< 25 %, one 5-minute datapoint) first fires at 35:00 on the first
            // datapoint wholly after it; the group holds at least 4 then (it needs 2 steps of +1
            // to get below 50 %) and steps down once per cooldown — the group's: a Cooldown apart.
            // So back_s ≥ 300 + Cooldown.
            (policy, _) => {
                let c = cooldown(policy).expect("a simple-scaling case");
                for (r, &b) in back.iter().enumerate() {
                    assert!(b >= 300.0 + c, "{what} replication {r}: back {b} s");
                }
                // A cooldown of at least one datapoint (300 s) cannot overshoot 4 (the datapoint
                // after the 4th instance joins is below 50 %): exactly 4 → 3 → 2.
                if c >= 300.0 {
                    assert!(scale_ins.iter().all(|&n| n == 2.0), "{what}: {scale_ins:?}");
                }
            }
        }
    }
    // The cooldown decides: for every monitoring × warm-up, the mean return grows 60 < 300 < 600.
    let mean_back = |m: &str, w: &str, policy: &str| {
        let p: Vec<&Point> = (points.iter())
            .filter(|p| {
                p.cell("monitoring") == m && p.cell("warmup") == w && p.cell("policy") == policy
            })
            .collect();
        assert_eq!(p.len(), 1);
        p[0].mean("back_s")
    };
    for m in ["basic", "detailed"] {
        for w in ["not set", "60 s", "300 s"] {
            let b: Vec<f64> = [60, 300, 600]
                .iter()
                .map(|c| mean_back(m, w, &format!("simple scaling {c} s")))
                .collect();
            assert!(b[0] < b[1] && b[1] < b[2], "{m}, {w}: back_s means {b:?}");
        }
    }
    // A short cooldown flaps: with 60 s the +1 policy acts again on the same 5-minute datapoint
    // before the new instance shows in it, so the group overshoots 4 and needs more scale-ins,
    // and holds more instance-hours (pooled over monitoring × warm-up) than with 300 s.
    let pooled = |policy: &str, metric: &str| {
        let v: Vec<f64> = (points.iter())
            .filter(|p| p.cell("policy") == policy)
            .map(|p| p.mean(metric))
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(pooled("simple scaling 60 s", "scale_in_activities") > 2.0);
    assert!(
        pooled("simple scaling 60 s", "instance_hours")
            > pooled("simple scaling 300 s", "instance_hours")
    );
    // Soonest back: a detailed-monitoring target-tracking point (one minute beats any cooldown).
    let best = s.best("soonest back to 2 instances");
    assert!(!best.is_empty());
    for (_, k) in best {
        let p = &points[k.expect("a best point")];
        assert_eq!(
            (p.cell("monitoring"), p.cell("policy")),
            ("detailed", "target tracking")
        );
    }
}
