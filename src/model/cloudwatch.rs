//! CloudWatch metrics and alarms: the metrics albsim computes, the resolved alarm settings and
//! their evaluation rule.
//!
//! Metrics are sampled once per metric period (60 s by default; `timeseries.csv` rows). An alarm
//! (AWS `PutMetricAlarm`) turns them into datapoints of its own `Period` (a multiple of the metric
//! period), evaluates the most recent `EvaluationPeriods` datapoints every metric period, and is in
//! `ALARM` when at least `DatapointsToAlarm` of them breach (`aws-behavior.md` §11). Missing
//! datapoints follow `TreatMissingData`: `missing` (default: ignored; all missing gives
//! `INSUFFICIENT_DATA`), `notBreaching`, `breaching`, `ignore` (keep the state when all are
//! missing).
//!
//! Metrics come from the Auto Scaling groups (`AWS/EC2`, `AWS/AutoScaling`), the load balancer
//! (`AWS/ApplicationELB`), the SQS queues (`AWS/SQS`, dimension `QueueName`) and the SNS topics
//! (`AWS/SNS`, dimension `TopicName`); a target tracking policy may also track a metric math
//! expression of two of them ([`MetricMath`], such as backlog per instance).

use super::ids::{AsgId, PolicyId, TargetGroupId};
use super::sqs::{QueueId, TopicId};

/// A CloudWatch metric albsim can compute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetricRef {
    /// `CPUUtilization` of a group's InService instances (basic monitoring: 5-minute datapoints).
    AsgCpu(AsgId),
    /// The same, without instances still warming up (target tracking's view).
    AsgCpuReady(AsgId),
    /// `NetworkIn` per InService, warmed-up instance [bytes per metric period].
    AsgNetworkIn(AsgId),
    /// `NetworkOut` per InService, warmed-up instance [bytes per metric period].
    AsgNetworkOut(AsgId),
    /// `GroupInServiceInstances`.
    AsgInService(AsgId),
    /// `RequestCount` of a target group.
    TgRequestCount(TargetGroupId),
    /// `RequestCountPerTarget` of a target group.
    TgRequestCountPerTarget(TargetGroupId),
    /// `TargetResponseTime` of the load balancer \[s\].
    LbTargetResponseTime,
    /// A percentile of `TargetResponseTime` over the metric period \[s\] (`ExtendedStatistic`),
    /// in per mille (p99.9 = 999).
    LbTargetResponseTimePercentile(u16),
    /// `HTTPCode_ELB_5XX_Count` of the load balancer.
    LbElb5xx,
    /// An `AWS/SQS` metric of a queue (dimension `QueueName`).
    Queue(QueueId, SqsMetric),
    /// An `AWS/SNS` metric of a topic (dimension `TopicName`).
    Topic(TopicId, SnsMetric),
    /// A metric math expression (`Expression: "m1 / m2"`) of two metrics, computed each metric
    /// period from their datapoints of that period.
    Math(Box<MetricMath>),
}

/// An `AWS/SQS` queue metric (1-minute; gauges read at the period's end, counts over it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqsMetric {
    /// `ApproximateNumberOfMessagesVisible`: messages available for retrieval (the backlog).
    Visible,
    /// `ApproximateNumberOfMessagesNotVisible`: messages in flight (received, not deleted).
    NotVisible,
    /// `ApproximateNumberOfMessagesDelayed`: messages still hidden by a delay.
    Delayed,
    /// `ApproximateAgeOfOldestMessage` \[s\].
    AgeOfOldestMessage,
    /// `NumberOfMessagesSent`.
    Sent,
    /// `NumberOfMessagesReceived`.
    Received,
    /// `NumberOfMessagesDeleted`.
    Deleted,
    /// `NumberOfEmptyReceives`: `ReceiveMessage` calls that returned no message.
    EmptyReceives,
}

impl SqsMetric {
    /// Every queue metric, in AWS's documentation order.
    pub const ALL: [SqsMetric; 8] = [
        SqsMetric::AgeOfOldestMessage,
        SqsMetric::Delayed,
        SqsMetric::NotVisible,
        SqsMetric::Visible,
        SqsMetric::EmptyReceives,
        SqsMetric::Deleted,
        SqsMetric::Received,
        SqsMetric::Sent,
    ];

    /// The `MetricName`.
    pub fn name(self) -> &'static str {
        match self {
            SqsMetric::Visible => "ApproximateNumberOfMessagesVisible",
            SqsMetric::NotVisible => "ApproximateNumberOfMessagesNotVisible",
            SqsMetric::Delayed => "ApproximateNumberOfMessagesDelayed",
            SqsMetric::AgeOfOldestMessage => "ApproximateAgeOfOldestMessage",
            SqsMetric::Sent => "NumberOfMessagesSent",
            SqsMetric::Received => "NumberOfMessagesReceived",
            SqsMetric::Deleted => "NumberOfMessagesDeleted",
            SqsMetric::EmptyReceives => "NumberOfEmptyReceives",
        }
    }

    /// The metric called `name`, if it is a queue metric.
    pub fn parse(name: &str) -> Option<SqsMetric> {
        SqsMetric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether it counts events over the period (`Sum`) rather than reading a level (gauges:
    /// `Average`).
    pub fn is_count(self) -> bool {
        matches!(
            self,
            SqsMetric::Sent | SqsMetric::Received | SqsMetric::Deleted | SqsMetric::EmptyReceives
        )
    }
}

/// An `AWS/SNS` topic metric (counts over the metric period).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnsMetric {
    /// `NumberOfMessagesPublished`.
    Published,
    /// `NumberOfNotificationsDelivered`: deliveries that reached a subscription.
    Delivered,
}

impl SnsMetric {
    /// Every topic metric.
    pub const ALL: [SnsMetric; 2] = [SnsMetric::Published, SnsMetric::Delivered];

    /// The `MetricName`.
    pub fn name(self) -> &'static str {
        match self {
            SnsMetric::Published => "NumberOfMessagesPublished",
            SnsMetric::Delivered => "NumberOfNotificationsDelivered",
        }
    }

    /// The metric called `name`, if it is a topic metric.
    pub fn parse(name: &str) -> Option<SnsMetric> {
        SnsMetric::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// The operator of a metric math expression of two metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathOp {
    /// `+`.
    Add,
    /// `-`.
    Subtract,
    /// `*`.
    Multiply,
    /// `/`.
    Divide,
}

impl MathOp {
    /// The operator for `c`, if it is one of `+ - * /`.
    pub fn parse(c: char) -> Option<MathOp> {
        Some(match c {
            '+' => MathOp::Add,
            '-' => MathOp::Subtract,
            '*' => MathOp::Multiply,
            '/' => MathOp::Divide,
            _ => return None,
        })
    }

    /// Its symbol.
    pub fn symbol(self) -> char {
        match self {
            MathOp::Add => '+',
            MathOp::Subtract => '-',
            MathOp::Multiply => '*',
            MathOp::Divide => '/',
        }
    }

    /// CloudWatch's result for two datapoints: missing if either is, and a division by zero is
    /// missing too (no InService instance: no backlog per instance).
    pub fn apply(self, left: Option<f64>, right: Option<f64>) -> Option<f64> {
        let (l, r) = (left?, right?);
        match self {
            MathOp::Add => Some(l + r),
            MathOp::Subtract => Some(l - r),
            MathOp::Multiply => Some(l * r),
            MathOp::Divide => (r != 0.0).then(|| l / r),
        }
    }
}

/// A metric math expression `left op right` (`Metrics` of a `CustomizedMetricSpecification`:
/// two `MetricStat` queries and one `Expression`). albsim publishes one datapoint per metric
/// period for every metric, so each operand's `Stat` over that period is that datapoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricMath {
    /// The left operand.
    pub left: MetricRef,
    /// The operator.
    pub op: MathOp,
    /// The right operand.
    pub right: MetricRef,
}

impl MetricMath {
    /// The group whose `GroupInServiceInstances` divides the expression (`m1 / m2` with m2 that
    /// metric: a value per InService instance, such as backlog per instance), if it has that form.
    pub fn per_instance_of(&self) -> Option<AsgId> {
        match (self.op, &self.right) {
            (MathOp::Divide, MetricRef::AsgInService(g)) => Some(*g),
            _ => None,
        }
    }
}

/// A resolved alarm (user-defined, or created by a target tracking policy).
#[derive(Clone, Debug)]
pub struct AlarmSpec {
    /// `AlarmName`.
    pub name: String,
    /// `MetricName` as written, for messages.
    pub metric_name: String,
    /// What it watches.
    pub metric: MetricRef,
    /// `Statistic`.
    pub statistic: Statistic,
    /// `Period` in metric periods.
    pub period_multiple: u32,
    /// Evaluation rule.
    pub rule: AlarmRule,
    /// `AlarmActions`: (group, policy) pairs (target tracking alarms act through their policy).
    pub actions: Vec<(AsgId, PolicyId)>,
}

/// AWS alarm state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlarmState {
    /// Not breaching.
    Ok,
    /// Breaching.
    Alarm,
    /// Not enough data.
    InsufficientData,
}

impl AlarmState {
    /// AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
        }
    }

    /// Numeric code for `timeseries.csv`: 0 OK, 1 ALARM, -1 INSUFFICIENT_DATA.
    pub fn code(self) -> i32 {
        match self {
            AlarmState::Ok => 0,
            AlarmState::Alarm => 1,
            AlarmState::InsufficientData => -1,
        }
    }
}

/// AWS `ComparisonOperator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `GreaterThanThreshold`.
    Greater,
    /// `GreaterThanOrEqualToThreshold`.
    GreaterOrEqual,
    /// `LessThanThreshold`.
    Less,
    /// `LessThanOrEqualToThreshold`.
    LessOrEqual,
}

impl Comparison {
    /// Whether `value` breaches `threshold`.
    pub fn breaches(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::Greater => value > threshold,
            Comparison::GreaterOrEqual => value >= threshold,
            Comparison::Less => value < threshold,
            Comparison::LessOrEqual => value <= threshold,
        }
    }

    /// Symbol for messages.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Greater => ">",
            Comparison::GreaterOrEqual => ">=",
            Comparison::Less => "<",
            Comparison::LessOrEqual => "<=",
        }
    }
}

/// AWS `TreatMissingData`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingData {
    /// `missing` (default).
    Missing,
    /// `notBreaching`.
    NotBreaching,
    /// `breaching`.
    Breaching,
    /// `ignore`.
    Ignore,
}

/// The evaluation rule of an alarm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlarmRule {
    /// `Threshold`.
    pub threshold: f64,
    /// `ComparisonOperator`.
    pub comparison: Comparison,
    /// `EvaluationPeriods` (N).
    pub evaluation_periods: u32,
    /// `DatapointsToAlarm` (M ≤ N).
    pub datapoints_to_alarm: u32,
    /// `TreatMissingData`.
    pub missing: MissingData,
}

/// The outcome of one evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evaluation {
    /// New state.
    pub state: AlarmState,
    /// Breaching datapoints among the last N.
    pub breaching: u32,
    /// Present datapoints among the last N.
    pub present: u32,
}

impl AlarmRule {
    /// Evaluates the most recent datapoints (oldest first; only the last N are used), given the
    /// current state.
    pub fn evaluate(&self, datapoints: &[Option<f64>], current: AlarmState) -> Evaluation {
        let n = self.evaluation_periods as usize;
        let window = &datapoints[datapoints.len().saturating_sub(n)..];
        let mut breaching = 0u32;
        let mut present = 0u32;
        for d in window {
            match d {
                Some(v) => {
                    present += 1;
                    breaching += u32::from(self.comparison.breaches(*v, self.threshold));
                }
                None => {
                    if self.missing == MissingData::Breaching {
                        breaching += 1;
                    }
                }
            }
        }
        // Periods before the metric existed count as missing too.
        let missing_before = n.saturating_sub(window.len()) as u32;
        if self.missing == MissingData::Breaching {
            breaching += missing_before;
        }
        let state = if present == 0 {
            match self.missing {
                MissingData::Missing => AlarmState::InsufficientData,
                MissingData::Ignore => current,
                MissingData::NotBreaching => AlarmState::Ok,
                MissingData::Breaching => AlarmState::Alarm,
            }
        } else if breaching >= self.datapoints_to_alarm {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        };
        Evaluation {
            state,
            breaching,
            present,
        }
    }
}

/// Statistic of a metric over a period (AWS `Statistic`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statistic {
    /// `Average`.
    Average,
    /// `Sum`.
    Sum,
    /// `Maximum`.
    Maximum,
    /// `Minimum`.
    Minimum,
}

impl Statistic {
    /// Combines per-metric-period values into one datapoint of a longer period.
    pub fn combine(self, values: &[f64]) -> Option<f64> {
        if values.is_empty() {
            return None;
        }
        Some(match self {
            Statistic::Average => values.iter().sum::<f64>() / values.len() as f64,
            Statistic::Sum => values.iter().sum(),
            Statistic::Maximum => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Statistic::Minimum => values.iter().copied().fold(f64::INFINITY, f64::min),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(m: u32, n: u32, missing: MissingData) -> AlarmRule {
        AlarmRule {
            threshold: 50.0,
            comparison: Comparison::Greater,
            evaluation_periods: n,
            datapoints_to_alarm: m,
            missing,
        }
    }

    #[test]
    fn m_of_n_need_not_be_consecutive() {
        let r = rule(2, 3, MissingData::Missing);
        let e = r.evaluate(&[Some(60.0), Some(40.0), Some(70.0)], AlarmState::Ok);
        assert_eq!((e.state, e.breaching), (AlarmState::Alarm, 2));
        let e = r.evaluate(&[Some(60.0), Some(40.0), Some(40.0)], AlarmState::Alarm);
        assert_eq!(e.state, AlarmState::Ok);
    }

    #[test]
    fn only_the_last_n_datapoints_count() {
        let r = rule(3, 3, MissingData::Missing);
        let e = r.evaluate(
            &[Some(90.0), Some(90.0), Some(10.0), Some(90.0), Some(90.0)],
            AlarmState::Ok,
        );
        assert_eq!(e.state, AlarmState::Ok);
    }

    #[test]
    fn missing_data_treatments() {
        let gaps = [None, None, None];
        assert_eq!(
            rule(3, 3, MissingData::Missing)
                .evaluate(&gaps, AlarmState::Ok)
                .state,
            AlarmState::InsufficientData
        );
        assert_eq!(
            rule(3, 3, MissingData::Ignore)
                .evaluate(&gaps, AlarmState::Alarm)
                .state,
            AlarmState::Alarm
        );
        assert_eq!(
            rule(3, 3, MissingData::NotBreaching)
                .evaluate(&gaps, AlarmState::Alarm)
                .state,
            AlarmState::Ok
        );
        assert_eq!(
            rule(3, 3, MissingData::Breaching)
                .evaluate(&gaps, AlarmState::Ok)
                .state,
            AlarmState::Alarm
        );
        // With `missing`, present datapoints are evaluated and gaps ignored.
        let e =
            rule(1, 3, MissingData::Missing).evaluate(&[None, Some(80.0), None], AlarmState::Ok);
        assert_eq!(e.state, AlarmState::Alarm);
    }

    #[test]
    fn too_few_periods_yet_is_not_an_alarm() {
        let r = rule(3, 3, MissingData::Missing);
        assert_eq!(
            r.evaluate(&[Some(90.0), Some(90.0)], AlarmState::InsufficientData)
                .state,
            AlarmState::Ok
        );
    }

    #[test]
    fn statistics_combine_minutes() {
        assert_eq!(Statistic::Average.combine(&[10.0, 20.0, 30.0]), Some(20.0));
        assert_eq!(Statistic::Sum.combine(&[10.0, 20.0]), Some(30.0));
        assert_eq!(Statistic::Maximum.combine(&[10.0, 20.0]), Some(20.0));
        assert_eq!(Statistic::Average.combine(&[]), None);
    }

    #[test]
    fn math_of_two_datapoints_is_missing_when_either_is_or_on_division_by_zero() {
        assert_eq!(MathOp::Divide.apply(Some(1500.0), Some(10.0)), Some(150.0));
        assert_eq!(MathOp::Divide.apply(Some(1500.0), Some(0.0)), None);
        assert_eq!(MathOp::Add.apply(Some(2.0), Some(3.0)), Some(5.0));
        assert_eq!(MathOp::Subtract.apply(Some(2.0), Some(3.0)), Some(-1.0));
        assert_eq!(MathOp::Multiply.apply(Some(2.0), Some(3.0)), Some(6.0));
        assert_eq!(MathOp::Add.apply(None, Some(3.0)), None);
        assert_eq!(MathOp::Add.apply(Some(3.0), None), None);
        for c in ['+', '-', '*', '/'] {
            assert_eq!(MathOp::parse(c).map(MathOp::symbol), Some(c));
        }
        assert_eq!(MathOp::parse('%'), None);
    }

    #[test]
    fn queue_and_topic_metrics_parse_by_their_aws_names() {
        for m in SqsMetric::ALL {
            assert_eq!(SqsMetric::parse(m.name()), Some(m));
        }
        for m in SnsMetric::ALL {
            assert_eq!(SnsMetric::parse(m.name()), Some(m));
        }
        assert_eq!(SqsMetric::parse("ApproximateNumberOfMessages"), None);
        assert!(SqsMetric::Sent.is_count() && !SqsMetric::Visible.is_count());
    }

    #[test]
    fn only_a_division_by_in_service_instances_is_per_instance() {
        let math = |op, right| MetricMath {
            left: MetricRef::Queue(QueueId(0), SqsMetric::Visible),
            op,
            right,
        };
        let g = AsgId(2);
        assert_eq!(
            math(MathOp::Divide, MetricRef::AsgInService(g)).per_instance_of(),
            Some(g)
        );
        assert_eq!(
            math(MathOp::Multiply, MetricRef::AsgInService(g)).per_instance_of(),
            None
        );
        assert_eq!(
            math(MathOp::Divide, MetricRef::AsgCpu(g)).per_instance_of(),
            None
        );
    }
}
