//! Target groups and their routing algorithms (AWS `load_balancing.algorithm.type`).
//!
//! - `round_robin` (the AWS default): targets in sequential order;
//! - `least_outstanding_requests`: the target with the fewest requests in progress; ties go to the
//!   next target in round-robin order, so equal targets share evenly;
//! - `weighted_random`: a uniformly random target (no Automatic Target Weights yet).

use super::ids::InstanceId;
use crate::engine::RngStream;
use crate::scenario::FieldError;
use crate::scenario::path::JsonPath;

/// AWS `load_balancing.algorithm.type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// `round_robin`.
    RoundRobin,
    /// `least_outstanding_requests`.
    LeastOutstandingRequests,
    /// `weighted_random`.
    WeightedRandom,
}

impl Algorithm {
    /// Parses the AWS value; `None` gives the default, `round_robin`.
    pub fn parse(value: Option<&str>, path: &JsonPath) -> Result<Algorithm, FieldError> {
        match value {
            None | Some("round_robin") => Ok(Algorithm::RoundRobin),
            Some("least_outstanding_requests") => Ok(Algorithm::LeastOutstandingRequests),
            Some("weighted_random") => Ok(Algorithm::WeightedRandom),
            Some(other) => Err(path.error(format!(
                "expected \"round_robin\", \"least_outstanding_requests\" or \"weighted_random\", got {other:?}"
            ))),
        }
    }

    /// AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::RoundRobin => "round_robin",
            Algorithm::LeastOutstandingRequests => "least_outstanding_requests",
            Algorithm::WeightedRandom => "weighted_random",
        }
    }
}

/// A resolved target group.
#[derive(Clone, Debug)]
pub struct TargetGroupSpec {
    /// Name (unique).
    pub name: String,
    /// Traffic port.
    pub port: u16,
    /// Routing algorithm.
    pub algorithm: Algorithm,
    /// Registered targets.
    pub targets: Vec<InstanceId>,
}

/// Routing state of a target group during a run.
#[derive(Clone, Debug)]
pub struct TargetGroupState {
    /// Next round-robin position.
    cursor: usize,
    /// Draws of `weighted_random`.
    rng: RngStream,
}

impl TargetGroupState {
    /// Fresh state; `rng` is the group's own stream.
    pub fn new(rng: RngStream) -> Self {
        TargetGroupState { cursor: 0, rng }
    }

    /// Chooses a target for the next request, or `None` if the group has no registered target.
    /// `outstanding(i)` is the number of requests target `i` is working on or holding.
    #[inline]
    pub fn pick(
        &mut self,
        spec: &TargetGroupSpec,
        outstanding: impl Fn(InstanceId) -> u32,
    ) -> Option<InstanceId> {
        let n = spec.targets.len();
        if n == 0 {
            return None;
        }
        let i = match spec.algorithm {
            Algorithm::RoundRobin => {
                let i = if self.cursor >= n { 0 } else { self.cursor };
                self.cursor = i + 1;
                i
            }
            Algorithm::LeastOutstandingRequests => {
                let start = if self.cursor >= n { 0 } else { self.cursor };
                let mut best = start;
                let mut best_load = outstanding(spec.targets[start]);
                for k in 1..n {
                    let j = if start + k >= n {
                        start + k - n
                    } else {
                        start + k
                    };
                    let load = outstanding(spec.targets[j]);
                    if load < best_load {
                        best = j;
                        best_load = load;
                    }
                }
                self.cursor = best + 1;
                best
            }
            Algorithm::WeightedRandom => self.rng.below(n),
        };
        Some(spec.targets[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(algorithm: Algorithm, n: u32) -> TargetGroupSpec {
        TargetGroupSpec {
            name: "g".into(),
            port: 80,
            algorithm,
            targets: (0..n).map(InstanceId).collect(),
        }
    }

    #[test]
    fn round_robin_is_sequential() {
        let g = group(Algorithm::RoundRobin, 3);
        let mut s = TargetGroupState::new(RngStream::derive(1, "g"));
        let picks: Vec<u32> = (0..7).map(|_| s.pick(&g, |_| 0).unwrap().0).collect();
        assert_eq!(picks, vec![0, 1, 2, 0, 1, 2, 0]);
    }

    #[test]
    fn least_outstanding_prefers_the_idle_target_and_rotates_ties() {
        let g = group(Algorithm::LeastOutstandingRequests, 3);
        let mut s = TargetGroupState::new(RngStream::derive(1, "g"));
        let loads = [5, 0, 5];
        assert_eq!(s.pick(&g, |i| loads[i.index()]).unwrap().0, 1);
        let picks: Vec<u32> = (0..6).map(|_| s.pick(&g, |_| 0).unwrap().0).collect();
        assert_eq!(picks, vec![2, 0, 1, 2, 0, 1]);
    }

    /// 30 000 uniform picks over 3 targets: each count is Binomial(30 000, 1/3), sd ≈ 81.6, so
    /// ±408 is a 5-sigma band.
    #[test]
    fn weighted_random_is_uniform() {
        let g = group(Algorithm::WeightedRandom, 3);
        let mut s = TargetGroupState::new(RngStream::derive(1, "g"));
        let mut counts = [0i64; 3];
        for _ in 0..30_000 {
            counts[s.pick(&g, |_| 0).unwrap().index()] += 1;
        }
        assert!(
            counts.iter().all(|&c| (c - 10_000).abs() < 408),
            "{counts:?}"
        );
    }

    #[test]
    fn empty_group_has_no_target() {
        let g = group(Algorithm::RoundRobin, 0);
        assert_eq!(
            TargetGroupState::new(RngStream::derive(1, "g")).pick(&g, |_| 0),
            None
        );
    }
}
