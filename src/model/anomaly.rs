//! Automatic Target Weights (ATW): anomaly detection and anomaly mitigation
//! (`load_balancing.algorithm.anomaly_mitigation`).
//!
//! What AWS documents, and albsim does:
//! - detection is always on for HTTP/HTTPS target groups with at least three healthy targets; it
//!   compares each target's share of errors (HTTP 5xx from the target, and connection errors)
//!   with its peers', and calls a target `normal` or `anomalous` (`AnomalousHostCount`); health
//!   checks are untouched: an anomalous target stays `healthy`;
//! - mitigation (only with `weighted_random`, attribute `on`) adjusts weights every 5 seconds,
//!   iteratively cutting an anomalous target's traffic until it recovers or its traffic is
//!   negligible (the minimum needed to keep measuring it), then ramps it back gradually to parity
//!   (`MitigatedHostCount`: targets whose weight is below parity).
//!
//! What AWS does not publish, albsim states as settings (`anomaly_detection`, [`AnomalySpec`]):
//! how many responses a verdict needs and how far back it looks, how much worse than its peers a
//! target must be, the cut per step, the floor, the ramp back, and the most targets mitigated at
//! once (half the healthy targets by default, so mitigation never sheds most of the group).

use crate::engine::SimDuration;
use crate::recorder::{AnomalyChange, NotJudgedBecause};

/// How often weights are adjusted ("every 5 seconds", AWS) and detection runs.
pub const EVALUATION_INTERVAL: SimDuration = SimDuration::from_secs(5);

/// 5-second buckets of responses kept per target: the longest look-back is 5 minutes.
pub const BUCKETS: usize = 60;

/// Healthy targets detection needs (AWS: "at least three healthy targets").
pub const MINIMUM_HEALTHY_TARGETS: u32 = 3;

/// The detection and mitigation settings of a target group.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnomalySpec {
    /// `load_balancing.algorithm.anomaly_mitigation` is `on` (requires `weighted_random`).
    pub mitigation: bool,
    /// A verdict looks back at least this many 5-second buckets (`anomaly_detection.window`).
    pub window_buckets: u32,
    /// …and far enough to see this many responses (`anomaly_detection.minimum_requests`);
    /// a target with fewer in 5 minutes keeps its verdict.
    pub minimum_requests: u32,
    /// A target is anomalous when its error rate is at least this many times its peers'…
    pub error_rate_ratio: f64,
    /// …and at least this much above it (a fraction: 0.05 is 5 percentage points).
    pub error_rate_margin: f64,
    /// Each step an anomalous target's weight is multiplied by this (`reduction`).
    pub reduction: f64,
    /// Its weight never goes below this share of parity (`minimum_weight`): enough to measure.
    pub minimum_weight: f64,
    /// Each step a recovering target's weight grows by this share of parity (`recovery_step`).
    pub recovery_step: f64,
    /// At most this percentage of the healthy targets (rounded down) is cut at once
    /// (`max_mitigated_percentage`); the worst first.
    pub max_mitigated_percentage: u32,
}

impl AnomalySpec {
    /// albsim's defaults: a 30 s window of at least 20 responses, twice the peers' error rate
    /// and 5 points above it, weight halved every 5 s down to 2 %, back up by 10 % every 5 s, at
    /// most half of the healthy targets mitigated.
    pub const DEFAULT: AnomalySpec = AnomalySpec {
        mitigation: false,
        window_buckets: 6,
        minimum_requests: 20,
        error_rate_ratio: 2.0,
        error_rate_margin: 0.05,
        reduction: 0.5,
        minimum_weight: 0.02,
        recovery_step: 0.1,
        max_mitigated_percentage: 50,
    };
}

/// Responses a target gave in one 5-second bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    /// Requests it answered, or whose connection to it failed.
    pub responses: u32,
    /// Of those, 5xx answers and connection errors.
    pub errors: u32,
}

impl Bucket {
    /// Counts one response (`error`: a 5xx from the target or a connection error).
    #[inline(always)]
    pub fn count(&mut self, error: bool) {
        self.responses += 1;
        self.errors += u32::from(error);
    }
}

/// One target's detection result, and its mitigation.
#[derive(Clone, Copy, Debug)]
struct Verdict {
    anomalous: bool,
    /// Share of parity traffic it gets (1: not mitigated).
    weight: f64,
}

impl Default for Verdict {
    fn default() -> Self {
        Verdict {
            anomalous: false,
            weight: 1.0,
        }
    }
}

/// Detection and mitigation state of one target group: per target, the responses of the last 5
/// minutes in 5-second buckets, its verdict and its weight.
#[derive(Clone, Debug, Default)]
pub struct AnomalyState {
    /// `BUCKETS` buckets per member, member-major.
    buckets: Vec<Bucket>,
    /// The bucket responses go to now.
    current: usize,
    verdicts: Vec<Verdict>,
    /// Per member, this evaluation: (responses, errors) looked at, `None` when too few.
    scratch: Vec<Option<(u32, u32)>>,
    /// The members cut this evaluation (reused: evaluations do not allocate).
    order: Vec<usize>,
    /// Members below parity weight (`MitigatedHostCount`).
    pub mitigated: u32,
    /// Members anomalous (`AnomalousHostCount`).
    pub anomalous: u32,
}

impl AnomalyState {
    /// Makes room for member `m` (a new registration). A re-registered member's past was
    /// forgotten by the evaluation that found it not healthy, which also told it.
    pub fn register(&mut self, m: usize) {
        if self.verdicts.len() <= m {
            self.verdicts.resize(m + 1, Verdict::default());
            self.buckets.resize((m + 1) * BUCKETS, Bucket::default());
            self.scratch.resize(m + 1, None);
        }
    }

    /// Member `m` left detection (unhealthy, draining, deregistered): its verdict and weight are
    /// reset, its past forgotten.
    fn forget(&mut self, m: usize) {
        let v = &mut self.verdicts[m];
        self.anomalous -= u32::from(v.anomalous);
        self.mitigated -= u32::from(v.weight < 1.0);
        *v = Verdict::default();
        self.buckets[m * BUCKETS..(m + 1) * BUCKETS].fill(Bucket::default());
    }

    /// Member `m`'s responses of the 5 seconds that just ended (kept beside the member on the
    /// request path, handed over at each evaluation).
    pub fn close_bucket(&mut self, m: usize, bucket: Bucket) {
        self.buckets[m * BUCKETS + self.current] = bucket;
    }

    /// Counts one response of member `m` into the current bucket (tests).
    #[cfg(test)]
    fn count(&mut self, m: usize, error: bool) {
        self.buckets[m * BUCKETS + self.current].count(error);
    }

    /// Member `m`'s weight: its share of parity traffic under `weighted_random`.
    #[inline]
    pub fn weight(&self, m: usize) -> f64 {
        self.verdicts[m].weight
    }

    /// Whether member `m` is anomalous now.
    pub fn is_anomalous(&self, m: usize) -> bool {
        self.verdicts.get(m).is_some_and(|v| v.anomalous)
    }

    /// One evaluation, every [`EVALUATION_INTERVAL`]: `healthy(m)` says which members detection
    /// sees; `changed` hears every verdict and mitigation change. Then a new bucket starts.
    pub fn evaluate(
        &mut self,
        spec: &AnomalySpec,
        healthy: impl Fn(usize) -> bool,
        mut changed: impl FnMut(usize, AnomalyChange),
    ) {
        let n = self.verdicts.len();
        for m in 0..n {
            if !healthy(m) {
                // Out of detection: nothing of its past counts when it is back.
                if self.verdicts[m].anomalous || self.verdicts[m].weight < 1.0 {
                    changed(m, AnomalyChange::NotJudged(NotJudgedBecause::Unhealthy));
                }
                self.forget(m);
            }
        }
        let eligible = (0..n).filter(|&m| healthy(m)).count() as u32;
        let detecting = eligible >= MINIMUM_HEALTHY_TARGETS;
        // Each member's look-back: at least the window, and enough responses.
        let (mut all_responses, mut all_errors) = (0u64, 0u64);
        for m in 0..n {
            self.scratch[m] = None;
            if !detecting || !healthy(m) {
                continue;
            }
            let (mut responses, mut errors) = (0u32, 0u32);
            for back in 0..BUCKETS {
                let b = self.buckets[m * BUCKETS + (self.current + BUCKETS - back) % BUCKETS];
                responses += b.responses;
                errors += b.errors;
                if back + 1 >= spec.window_buckets as usize && responses >= spec.minimum_requests {
                    self.scratch[m] = Some((responses, errors));
                    break;
                }
            }
            if let Some((r, e)) = self.scratch[m] {
                all_responses += u64::from(r);
                all_errors += u64::from(e);
            }
        }
        for m in 0..n {
            if !healthy(m) {
                continue;
            }
            let was = self.verdicts[m].anomalous;
            let verdict = if !detecting {
                Err(NotJudgedBecause::TooFewHealthy)
            } else if let Some((r, e)) = self.scratch[m] {
                let peer_responses = all_responses - u64::from(r);
                if peer_responses == 0 {
                    // No peer measured: nothing to compare with, the verdict stands.
                    Ok(was)
                } else {
                    let peer_rate = (all_errors - u64::from(e)) as f64 / peer_responses as f64;
                    let rate = f64::from(e) / f64::from(r);
                    // A target without errors is never anomalous (even with a zero margin).
                    let anomalous = e > 0
                        && rate >= spec.error_rate_ratio * peer_rate
                        && rate >= peer_rate + spec.error_rate_margin;
                    if anomalous && !was {
                        changed(
                            m,
                            AnomalyChange::Anomalous {
                                responses: r,
                                errors: e,
                                peer_rate,
                            },
                        );
                    }
                    Ok(anomalous)
                }
            } else {
                // Five minutes without enough responses: no result, so a cut target is not
                // kept at the floor for want of traffic.
                Err(NotJudgedBecause::TooFewResponses)
            };
            let now = verdict.unwrap_or(false);
            if was && !now {
                let change = match verdict {
                    Ok(_) => AnomalyChange::Normal,
                    Err(why) => AnomalyChange::NotJudged(why),
                };
                changed(m, change);
            }
            self.verdicts[m].anomalous = now;
        }
        self.anomalous = self.verdicts.iter().filter(|v| v.anomalous).count() as u32;
        if spec.mitigation {
            self.mitigate(spec, eligible, &healthy, &mut changed);
        }
        self.current = (self.current + 1) % BUCKETS;
        for m in 0..n {
            self.buckets[m * BUCKETS + self.current] = Bucket::default();
        }
    }

    /// Cuts the worst anomalous targets' weights (at most the allowed share of the `eligible`
    /// healthy ones) and ramps every other target below parity back up.
    fn mitigate(
        &mut self,
        spec: &AnomalySpec,
        eligible: u32,
        healthy: &impl Fn(usize) -> bool,
        changed: &mut impl FnMut(usize, AnomalyChange),
    ) {
        let n = self.verdicts.len();
        // At least one, so a small group with a low percentage can still shed its worst target.
        let allowed = (eligible * spec.max_mitigated_percentage / 100).max(1) as usize;
        let rate = |s: Option<(u32, u32)>| s.map_or(0.0, |(r, e)| f64::from(e) / f64::from(r));
        // The `allowed` worst anomalous members, worst first (ties: lower member first). A
        // member with no fresh measurement ranks by its standing verdict, behind measured ones.
        let mut order = std::mem::take(&mut self.order);
        order.clear();
        order.extend((0..n).filter(|&m| healthy(m) && self.verdicts[m].anomalous));
        let scratch = &self.scratch;
        order.sort_by(|&a, &b| {
            rate(scratch[b])
                .total_cmp(&rate(scratch[a]))
                .then(a.cmp(&b))
        });
        order.truncate(allowed);
        order.sort_unstable();
        for m in 0..n {
            if !healthy(m) {
                continue;
            }
            let v = &mut self.verdicts[m];
            if order.binary_search(&m).is_ok() {
                let started = v.weight >= 1.0;
                v.weight = (v.weight * spec.reduction).max(spec.minimum_weight);
                if started {
                    changed(m, AnomalyChange::MitigationStarted { weight: v.weight });
                }
            } else if v.weight < 1.0 {
                v.weight += spec.recovery_step;
                // Repeated steps of 0.1 sum to 0.999…: parity within rounding is parity.
                if v.weight >= 1.0 - 1e-9 {
                    v.weight = 1.0;
                    changed(m, AnomalyChange::MitigationEnded);
                }
            }
        }
        self.order = order;
        self.mitigated = self.verdicts.iter().filter(|v| v.weight < 1.0).count() as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` members, all registered.
    fn state(n: usize) -> AnomalyState {
        let mut s = AnomalyState::default();
        for m in 0..n {
            s.register(m);
        }
        s
    }

    /// One 5-second step: each member answers `responses`, member `m` fails `errors[m]` of them.
    fn step(
        s: &mut AnomalyState,
        spec: &AnomalySpec,
        responses: u32,
        errors: &[u32],
    ) -> Vec<(usize, AnomalyChange)> {
        for (m, &e) in errors.iter().enumerate() {
            for k in 0..responses {
                s.count(m, k < e);
            }
        }
        let mut changes = Vec::new();
        s.evaluate(spec, |_| true, |m, c| changes.push((m, c)));
        changes
    }

    fn mitigating() -> AnomalySpec {
        AnomalySpec {
            mitigation: true,
            ..AnomalySpec::DEFAULT
        }
    }

    #[test]
    fn a_target_failing_half_its_requests_is_anomalous_and_its_weight_halves_to_the_floor() {
        let spec = mitigating();
        let mut s = state(4);
        let changes = step(&mut s, &spec, 100, &[0, 0, 50, 0]);
        assert!(
            matches!(
                changes[..],
                [
                    (2, AnomalyChange::Anomalous { responses: 100, errors: 50, peer_rate }),
                    (2, AnomalyChange::MitigationStarted { weight: 0.5 })
                ] if peer_rate == 0.0
            ),
            "{changes:?}"
        );
        let mut weights = vec![s.weight(2)];
        for _ in 0..7 {
            step(&mut s, &spec, 100, &[0, 0, 50, 0]);
            weights.push(s.weight(2));
        }
        assert_eq!(
            weights,
            [0.5, 0.25, 0.125, 0.0625, 0.03125, 0.02, 0.02, 0.02]
        );
        assert_eq!((s.anomalous, s.mitigated), (1, 1));
        assert!((0..4).filter(|&m| m != 2).all(|m| s.weight(m) == 1.0));
    }

    #[test]
    fn a_recovered_target_ramps_back_by_the_recovery_step() {
        let spec = mitigating();
        let mut s = state(4);
        for _ in 0..8 {
            step(&mut s, &spec, 100, &[0, 0, 50, 0]);
        }
        // Clean buckets push the errors out of the 30 s window: 6 steps later it is normal.
        let mut normal_at = None;
        let mut weights = Vec::new();
        for k in 1..=20 {
            let changes = step(&mut s, &spec, 100, &[0, 0, 0, 0]);
            if changes.contains(&(2, AnomalyChange::Normal)) {
                normal_at = Some(k);
            }
            weights.push(s.weight(2));
        }
        assert_eq!(normal_at, Some(6));
        // Still cut while anomalous (floor), then +0.1 per step from the floor up to parity.
        assert!(weights[..5].iter().all(|&w| w == 0.02), "{weights:?}");
        for (k, &w) in weights[5..15].iter().enumerate() {
            let expected = (0.02 + 0.1 * (k + 1) as f64).min(1.0);
            assert!((w - expected).abs() < 1e-9, "{weights:?}");
        }
        assert_eq!(s.weight(2), 1.0);
        assert_eq!((s.anomalous, s.mitigated), (0, 0));
    }

    #[test]
    fn detection_stops_when_fewer_than_three_targets_are_healthy() {
        let spec = mitigating();
        let mut s = state(3);
        step(&mut s, &spec, 100, &[0, 50, 0]);
        let mut changes = Vec::new();
        s.evaluate(&spec, |m| m != 0, |m, c| changes.push((m, c)));
        // Member 1 is still healthy but no longer judged; its weight ramps back.
        assert_eq!(
            changes,
            [(1, AnomalyChange::NotJudged(NotJudgedBecause::TooFewHealthy))]
        );
        assert_eq!((s.anomalous, s.mitigated), (0, 1));
        assert!((s.weight(1) - 0.6).abs() < 1e-9);
    }

    #[test]
    fn detection_needs_three_healthy_targets() {
        let spec = mitigating();
        let mut s = state(2);
        for _ in 0..5 {
            assert!(step(&mut s, &spec, 100, &[0, 100]).is_empty());
        }
        assert_eq!((s.anomalous, s.mitigated, s.weight(1)), (0, 0, 1.0));
    }

    #[test]
    fn at_most_the_allowed_share_of_healthy_targets_is_mitigated_the_worst_first() {
        let spec = AnomalySpec {
            max_mitigated_percentage: 40,
            ..mitigating()
        };
        let mut s = state(7);
        step(&mut s, &spec, 100, &[0, 90, 60, 80, 0, 0, 0]);
        // Each bad target's peers include the other bad ones (member 2: 60 % against 170 of
        // 600, 28 %): all three are anomalous…
        assert_eq!(s.anomalous, 3);
        // …but only 40 % of 7 (2, rounded down) are cut: the two worst.
        assert_eq!(s.mitigated, 2);
        assert_eq!([s.weight(1), s.weight(2), s.weight(3)], [0.5, 1.0, 0.5]);
    }

    #[test]
    fn by_default_at_most_half_the_healthy_targets_are_mitigated() {
        let spec = mitigating();
        let mut s = state(3);
        // Two of three fail everything: each has 100 % against its peers' pooled 50 % (twice,
        // and 50 points above), so both are anomalous; only one (50 % of 3, rounded down) is
        // cut: the lower-numbered of the tie.
        step(&mut s, &spec, 100, &[0, 100, 100]);
        assert_eq!((s.anomalous, s.mitigated), (2, 1));
        assert_eq!([s.weight(1), s.weight(2)], [0.5, 1.0]);
    }

    #[test]
    fn without_mitigation_detection_only_reports() {
        let spec = AnomalySpec::DEFAULT;
        let mut s = state(3);
        let changes = step(&mut s, &spec, 100, &[0, 40, 0]);
        assert!(matches!(
            changes[..],
            [(1, AnomalyChange::Anomalous { .. })]
        ));
        assert_eq!((s.anomalous, s.mitigated, s.weight(1)), (1, 0, 1.0));
    }

    #[test]
    fn a_target_within_the_margin_of_its_peers_is_normal() {
        let spec = mitigating();
        let mut s = state(3);
        // 6 % vs peers' 3 %: twice as bad, but only 3 points above (margin 5).
        assert!(step(&mut s, &spec, 100, &[3, 6, 3]).is_empty());
        // 20 % vs peers' 15 %: 5 points above, but not twice as bad.
        let mut s = state(3);
        assert!(step(&mut s, &spec, 100, &[15, 20, 15]).is_empty());
    }

    #[test]
    fn a_target_with_too_few_responses_has_no_result_and_ramps_back() {
        let spec = mitigating();
        let mut s = state(3);
        step(&mut s, &spec, 100, &[0, 50, 0]);
        assert!(s.is_anomalous(1));
        // The 5-minute look-back still holds those 100 responses: the verdict stands…
        for _ in 0..BUCKETS - 1 {
            assert!(step(&mut s, &spec, 0, &[0, 0, 0]).is_empty());
        }
        assert!(s.is_anomalous(1));
        // …until they leave it: no result, and the weight starts back up.
        let changes = step(&mut s, &spec, 0, &[0, 0, 0]);
        assert_eq!(
            changes,
            [(
                1,
                AnomalyChange::NotJudged(NotJudgedBecause::TooFewResponses)
            )]
        );
        assert!(!s.is_anomalous(1));
    }

    #[test]
    fn a_zero_margin_does_not_make_error_free_targets_anomalous() {
        let spec = AnomalySpec {
            error_rate_margin: 0.0,
            ..mitigating()
        };
        let mut s = state(4);
        assert!(step(&mut s, &spec, 100, &[0, 0, 0, 0]).is_empty());
        assert_eq!(s.anomalous, 0);
    }

    #[test]
    fn the_ramp_reaches_parity_in_whole_steps() {
        let spec = AnomalySpec {
            minimum_weight: 0.5,
            ..mitigating()
        };
        let mut s = state(3);
        step(&mut s, &spec, 100, &[0, 50, 0]);
        assert_eq!(s.weight(1), 0.5);
        // Normal once the errors leave the 30 s window (6 steps), then 0.5 + 5 × 0.1 = 1.
        let mut ended = None;
        for k in 1..=20 {
            if step(&mut s, &spec, 100, &[0, 0, 0]).contains(&(1, AnomalyChange::MitigationEnded)) {
                ended = Some(k);
            }
        }
        assert_eq!(ended, Some(6 + 5 - 1));
    }

    #[test]
    fn a_group_too_small_for_its_percentage_still_sheds_its_worst_target() {
        let spec = AnomalySpec {
            max_mitigated_percentage: 10,
            ..mitigating()
        };
        let mut s = state(4);
        step(&mut s, &spec, 100, &[0, 0, 50, 0]);
        assert_eq!(s.mitigated, 1, "10 % of 4 rounds to 0: at least one");
    }

    #[test]
    fn a_target_leaving_detection_is_forgotten() {
        let spec = mitigating();
        let mut s = state(4);
        step(&mut s, &spec, 100, &[0, 50, 0, 0]);
        let mut changes = Vec::new();
        s.evaluate(&spec, |m| m != 1, |m, c| changes.push((m, c)));
        assert_eq!(
            changes,
            [(1, AnomalyChange::NotJudged(NotJudgedBecause::Unhealthy))]
        );
        assert_eq!((s.anomalous, s.mitigated, s.weight(1)), (0, 0, 1.0));
    }
}
