//! CloudWatch alarm state changes.

use std::fmt;

/// A CloudWatch alarm's state change.
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmChange {
    /// `AlarmName`.
    pub alarm: String,
    /// State before (`OK`, `ALARM`, `INSUFFICIENT_DATA`).
    pub from: &'static str,
    /// State after.
    pub to: &'static str,
    /// Breaching datapoints among the last `evaluation_periods`.
    pub breaching: u32,
    /// `EvaluationPeriods`.
    pub evaluation_periods: u32,
    /// `ComparisonOperator` symbol.
    pub comparison: &'static str,
    /// `Threshold`.
    pub threshold: f64,
    /// `DatapointsToAlarm`.
    pub needed: u32,
}

impl fmt::Display for AlarmChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "alarm {}: {} -> {} ({} of the last {} datapoints {} {}; need {})",
            self.alarm,
            self.from,
            self.to,
            self.breaching,
            self.evaluation_periods,
            self.comparison,
            self.threshold,
            self.needed
        )
    }
}
