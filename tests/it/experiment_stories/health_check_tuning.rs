//! `experiments/health-check-tuning.json`: `HealthCheckIntervalSeconds` ×
//! `UnhealthyThresholdCount` on the instance-failure model (50 req/s Poisson, round robin over
//! web-1 and web-2; web-1 crashes at 10:00).
//!
//! The rule: round robin sends web-1 every other request, 25 per second, and each gets a 502
//! until the target is marked unhealthy. The checks run every `interval` s; the first one to fail
//! is sent at most `interval` after the crash (at the crash itself if one is due then: 10:00 is a
//! multiple of every interval), and the target is unhealthy after `threshold` failures in a row:
//! detection takes between (threshold − 1) · interval and threshold · interval + the timeout.

use super::sweep_shipped;
use crate::common::Z_999;

/// Requests per second web-1 receives (half of 50).
const WEB1_RATE: f64 = 25.0;

/// Requests in flight on web-1 at the crash (reset: 502 too): about 25/s × a 20–30 ms
/// response, at most 1 on average.
const IN_FLIGHT: f64 = 1.0;

#[test]
fn health_check_tuning_502s_follow_the_detection_time() {
    let s = sweep_shipped("health-check-tuning");
    let timeout = s.experiment["set"]["target_groups[0].health_check.HealthCheckTimeoutSeconds"]
        .as_f64()
        .expect("the file sets the timeout");
    let points = s.points();
    for p in &points {
        let (interval, threshold) = (p.num("interval"), p.num("threshold"));
        let what = format!("interval {interval} s, threshold {threshold}");
        let lo = WEB1_RATE * (threshold - 1.0) * interval;
        let hi = WEB1_RATE * (threshold * interval + timeout) + IN_FLIGHT;
        // Every replication: the count is (at most as variable as) Poisson given the detection
        // time, so within 99.9 % Poisson slack of [lo, hi].
        for (r, n) in s.runs(p.index(), "errors_502").into_iter().enumerate() {
            assert!(
                n >= lo - Z_999 * lo.sqrt() && n <= hi + Z_999 * hi.sqrt(),
                "{what} replication {r}: {n} 502s, expected in [{lo}, {hi}]"
            );
        }
        // The mean's interval meets the bound; every 5xx of this model is a 502.
        let (cl, ch) = p.ci("errors_502");
        assert!(
            ch >= lo && cl <= hi,
            "{what}: CI [{cl}, {ch}] misses [{lo}, {hi}]"
        );
        assert_eq!(p.mean("errors_5xx"), p.mean("errors_502"), "{what}");
        assert_eq!(p.mean("min_blip_s"), (threshold - 1.0) * interval, "{what}");
    }
    // The 5xx grow with the threshold at each interval and with the interval at each threshold:
    // the mean detection time, about (threshold − ½) · interval, grows by at least 5 s (125
    // 502s) from one level to the next.
    let mean_5xx = |i: f64, t: f64| {
        let p = (points.iter())
            .find(|p| p.num("interval") == i && p.num("threshold") == t)
            .expect("every interval × threshold");
        p.mean("errors_5xx")
    };
    let intervals = [5.0, 10.0, 15.0, 30.0];
    let thresholds = [2.0, 3.0, 5.0];
    for i in intervals {
        for w in thresholds.windows(2) {
            assert!(mean_5xx(i, w[0]) < mean_5xx(i, w[1]), "interval {i}: {w:?}");
        }
    }
    for t in thresholds {
        for w in intervals.windows(2) {
            assert!(
                mean_5xx(w[0], t) < mean_5xx(w[1], t),
                "threshold {t}: {w:?}"
            );
        }
    }
    // The objective: the fewest 5xx among (threshold − 1) · interval ≥ 20, recomputed from the
    // means; by the rule it is the setting with the shortest mean detection among them.
    let eligible: Vec<_> = (points.iter())
        .filter(|p| (p.num("threshold") - 1.0) * p.num("interval") >= 20.0)
        .collect();
    let fewest = (eligible.iter())
        .min_by(|a, b| a.mean("errors_5xx").total_cmp(&b.mean("errors_5xx")))
        .expect("eligible points");
    let quickest = (eligible.iter())
        .min_by(|a, b| {
            let d = |p: &&&super::Point| (p.num("threshold") - 0.5) * p.num("interval");
            d(a).total_cmp(&d(b))
        })
        .expect("eligible points");
    assert_eq!(fewest.index(), quickest.index());
    let best = s.best("fewest 5xx among settings no blip under 20 s can trip");
    assert_eq!(best, [(String::new(), Some(fewest.index()))]);
}
