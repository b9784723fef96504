//! One-line descriptions of model pieces under their AWS names: random durations, arrival
//! shapes, metrics, alarm rules, rule conditions and actions.

use super::format::{Clock, count, duration, number};
use crate::engine::SimDuration;
use crate::model::arrival::{ArrivalProcess, Spacing};
use crate::model::autoscaling::AdjustmentType;
use crate::model::cloudwatch::{Comparison, MetricRef, MissingData, Statistic};
use crate::model::distribution::Distribution;
use crate::model::listener::{ActionSpec, Condition};
use crate::model::sqs::Destination;
use crate::scenario::Scenario;

/// Breakpoints beyond which a rate profile is summarised (a day curve is sampled finely).
const MAX_BREAKPOINTS_LISTED: usize = 12;

/// A random duration: `constant 5 ms`, `lognormal, median 10 ms`, `uniform 20 s–70 s`.
pub fn distribution(d: &Distribution) -> String {
    let ms = |ns: f64| duration(SimDuration::from_nanos_f64(ns));
    match d {
        Distribution::Constant { ns } => format!("constant {}", ms(*ns)),
        Distribution::Exponential { mean_ns } => format!("exponential, mean {}", ms(*mean_ns)),
        Distribution::Uniform { min_ns, max_ns } => {
            format!("uniform {}–{}", ms(*min_ns), ms(*max_ns))
        }
        Distribution::Normal { mean_ns, stddev_ns } => {
            format!(
                "normal, mean {}, standard deviation {}",
                ms(*mean_ns),
                ms(*stddev_ns)
            )
        }
        Distribution::Lognormal { mu, sigma } => {
            // ln(median) = mu; p99 = exp(mu + 2.326·sigma).
            let p99 = (mu + 2.326_347_874 * sigma).exp();
            format!("lognormal, median {}, p99 {}", ms(mu.exp()), ms(p99))
        }
        Distribution::Empirical { points } => {
            let median = points
                .windows(2)
                .find(|w| w[1].0 >= 0.5)
                .map(|w| {
                    let f = if w[1].0 > w[0].0 {
                        (0.5 - w[0].0) / (w[1].0 - w[0].0)
                    } else {
                        0.0
                    };
                    w[0].1 + f * (w[1].1 - w[0].1)
                })
                .unwrap_or(0.0);
            format!(
                "empirical ({} points), median {}, mean {}",
                points.len(),
                ms(median),
                ms(d.mean_ns())
            )
        }
    }
}

/// An open-loop arrival process in one line: `Poisson, 12.5 per second` or the breakpoints of
/// its rate (`evenly spaced; per second: 60 at 0:00, 300 at 30:00, 60 at 55:00`).
pub fn arrival(a: &ArrivalProcess, clock: Clock) -> String {
    let spacing = |s: &Spacing| match s {
        Spacing::Poisson => "Poisson",
        Spacing::Even => "evenly spaced",
    };
    match a {
        ArrivalProcess::Steady {
            spacing: s,
            mean_gap_ns,
        } => format!("{}, {} per second", spacing(s), number(1e9 / mean_gap_ns)),
        ArrivalProcess::Piecewise { spacing: s, points } => {
            if points.len() > MAX_BREAKPOINTS_LISTED {
                let lo = points.iter().map(|p| p.rate).fold(f64::INFINITY, f64::min);
                let hi = points
                    .iter()
                    .map(|p| p.rate)
                    .fold(f64::NEG_INFINITY, f64::max);
                return format!(
                    "{}; a rate curve of {} breakpoints between {} and {} per second",
                    spacing(s),
                    count(points.len() as u64),
                    number(lo),
                    number(hi)
                );
            }
            // Name the changes: a breakpoint that repeats the previous rate only starts a
            // ramp, and of two at the same time (a step) the first is the old rate.
            let mut parts = Vec::new();
            for (i, p) in points.iter().enumerate() {
                if points.get(i + 1).is_some_and(|n| n.t == p.t) {
                    continue;
                }
                let prev = i.checked_sub(1).map(|j| points[j]);
                match prev {
                    None => parts.push(format!("{} from {}", number(p.rate), clock.at(p.t))),
                    Some(q) if q.t == p.t && points[0].t == p.t => {
                        parts.push(format!("{} from {}", number(p.rate), clock.at(p.t)))
                    }
                    Some(q) if q.rate == p.rate => {}
                    Some(q) if q.t == p.t => {
                        parts.push(format!("{} at {}", number(p.rate), clock.at(p.t)))
                    }
                    Some(q) => parts.push(format!(
                        "{} by {} (ramp from {})",
                        number(p.rate),
                        clock.at(p.t),
                        clock.at(q.t)
                    )),
                }
            }
            format!("{}; per second: {}", spacing(s), parts.join(", "))
        }
    }
}

/// A metric and what it is measured on: `CPUUtilization of web-asg`.
pub fn metric(m: &MetricRef, s: &Scenario) -> String {
    let asg =
        |g: &crate::model::ids::AsgId| name_at(&s.auto_scaling_groups, g.index(), |a| &a.name);
    let tg =
        |t: &crate::model::ids::TargetGroupId| name_at(&s.target_groups, t.index(), |g| &g.name);
    match m {
        MetricRef::AsgCpu(g) => format!("CPUUtilization of {}", asg(g)),
        MetricRef::AsgCpuReady(g) => {
            format!("CPUUtilization of {} (warmed-up instances)", asg(g))
        }
        MetricRef::AsgNetworkIn(g) => format!("NetworkIn per instance of {}", asg(g)),
        MetricRef::AsgNetworkOut(g) => format!("NetworkOut per instance of {}", asg(g)),
        MetricRef::AsgInService(g) => format!("GroupInServiceInstances of {}", asg(g)),
        MetricRef::TgRequestCount(t) => format!("RequestCount of {}", tg(t)),
        MetricRef::TgRequestCountPerTarget(t) => format!("RequestCountPerTarget of {}", tg(t)),
        MetricRef::LbTargetResponseTime => "TargetResponseTime".into(),
        MetricRef::LbTargetResponseTimePercentile(pm) => {
            format!("TargetResponseTime p{}", number(f64::from(*pm) / 10.0))
        }
        MetricRef::LbElb5xx => "HTTPCode_ELB_5XX_Count".into(),
        MetricRef::Queue(q, sm) => format!(
            "{} of {}",
            sm.name(),
            name_at(&s.messaging.queues, q.index(), |x| &x.name)
        ),
        MetricRef::Topic(t, sm) => format!(
            "{} of {}",
            sm.name(),
            name_at(&s.messaging.topics, t.index(), |x| &x.name)
        ),
        MetricRef::Math(e) => format!(
            "({}) {} ({})",
            metric(&e.left, s),
            e.op.symbol(),
            metric(&e.right, s)
        ),
    }
}

/// `Average`, `Sum`, `Maximum`, `Minimum`.
pub fn statistic(st: Statistic) -> &'static str {
    match st {
        Statistic::Average => "Average",
        Statistic::Sum => "Sum",
        Statistic::Maximum => "Maximum",
        Statistic::Minimum => "Minimum",
    }
}

/// The `ComparisonOperator`'s AWS name.
pub fn comparison(c: Comparison) -> &'static str {
    match c {
        Comparison::Greater => "GreaterThanThreshold",
        Comparison::GreaterOrEqual => "GreaterThanOrEqualToThreshold",
        Comparison::Less => "LessThanThreshold",
        Comparison::LessOrEqual => "LessThanOrEqualToThreshold",
    }
}

/// The `TreatMissingData` value.
pub fn missing(m: MissingData) -> &'static str {
    match m {
        MissingData::Missing => "missing",
        MissingData::NotBreaching => "notBreaching",
        MissingData::Breaching => "breaching",
        MissingData::Ignore => "ignore",
    }
}

/// The `AdjustmentType`.
pub fn adjustment_type(a: AdjustmentType) -> &'static str {
    match a {
        AdjustmentType::ChangeInCapacity => "ChangeInCapacity",
        AdjustmentType::ExactCapacity => "ExactCapacity",
        AdjustmentType::PercentChangeInCapacity => "PercentChangeInCapacity",
    }
}

/// A rule condition: `path-pattern /api/*, /v2/*`.
pub fn condition(c: &Condition) -> String {
    match c {
        Condition::PathPattern(v) => format!("path-pattern {}", v.join(", ")),
        Condition::HostHeader(v) => format!("host-header {}", v.join(", ")),
        Condition::HttpHeader { name, values } => {
            format!("http-header {name}: {}", values.join(", "))
        }
        Condition::HttpRequestMethod(v) => format!("http-request-method {}", v.join(", ")),
        Condition::QueryString(v) => {
            let pairs: Vec<String> = v
                .iter()
                .map(|(k, val)| match k {
                    Some(k) => format!("{k}={val}"),
                    None => val.clone(),
                })
                .collect();
            format!("query-string {}", pairs.join(", "))
        }
        Condition::SourceIp(v) => format!(
            "source-ip ({} CIDR block{})",
            v.len(),
            if v.len() == 1 { "" } else { "s" }
        ),
    }
}

/// A rule action: `forward to web`, `forward to blue (weight 90), green (weight 10)`,
/// `redirect 301 to HTTPS://#{host}:443/#{path}?#{query}`, `fixed-response 503`.
pub fn action(a: &ActionSpec, s: &Scenario) -> String {
    match a {
        ActionSpec::Forward(groups, stickiness) => {
            let tg = |t: &crate::model::ids::TargetGroupId| {
                name_at(&s.target_groups, t.index(), |g| &g.name)
            };
            let mut text = if groups.len() == 1 {
                format!("forward to {}", tg(&groups[0].0))
            } else {
                let parts: Vec<String> = groups
                    .iter()
                    .map(|(t, w)| format!("{} (weight {w})", tg(t)))
                    .collect();
                format!("forward to {}", parts.join(", "))
            };
            if let Some(d) = stickiness {
                text.push_str(&format!("; target group stickiness {}", duration(*d)));
            }
            text
        }
        ActionSpec::Redirect(r) => {
            let query = if r.query.is_empty() {
                String::new()
            } else {
                format!("?{}", r.query)
            };
            format!(
                "redirect {} to {}://{}:{}{}{}",
                r.status, r.protocol, r.host, r.port, r.path, query
            )
        }
        ActionSpec::FixedResponse { status, body_bytes } => {
            format!("fixed-response {status} ({} bytes)", count(*body_bytes))
        }
    }
}

/// Where a producer or a request sends: `queue orders`, `topic order-events`.
pub fn destination(d: &Destination, s: &Scenario) -> String {
    match d {
        Destination::Queue(q) => format!(
            "queue {}",
            name_at(&s.messaging.queues, q.index(), |x| &x.name)
        ),
        Destination::Topic(t) => format!(
            "topic {}",
            name_at(&s.messaging.topics, t.index(), |x| &x.name)
        ),
    }
}

/// The name of item `i` of `items`, or `#i` if there is none (a resolved model always has it).
pub fn name_at<T>(items: &[T], i: usize, name: impl Fn(&T) -> &String) -> String {
    items
        .get(i)
        .map(|x| name(x).clone())
        .unwrap_or_else(|| format!("#{i}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_in_words() {
        assert_eq!(
            distribution(&Distribution::Constant { ns: 5e6 }),
            "constant 5 ms"
        );
        assert_eq!(
            distribution(&Distribution::Uniform {
                min_ns: 20e9,
                max_ns: 70e9
            }),
            "uniform 20 s–70 s"
        );
        // median 10 ms: mu = ln(1e7 ns); p99 = median · e^(2.326·sigma) = 60 ms for this sigma.
        let sigma = (6.0f64).ln() / 2.326_347_874;
        let text = distribution(&Distribution::Lognormal {
            mu: (1e7f64).ln(),
            sigma,
        });
        assert_eq!(text, "lognormal, median 10 ms, p99 60 ms");
    }

    #[test]
    fn arrivals_in_one_line() {
        let clock = Clock::for_run(3600.0);
        assert_eq!(
            arrival(&ArrivalProcess::steady(Spacing::Poisson, 12.5), clock),
            "Poisson, 12.5 per second"
        );
        // 60/s, a ramp from 10 min to 300/s at 30 min, a step down at 50 min.
        let p = ArrivalProcess::piecewise(
            Spacing::Even,
            &[
                (0.0, 60.0),
                (600.0, 60.0),
                (1800.0, 300.0),
                (3000.0, 300.0),
                (3000.0, 60.0),
            ],
        );
        assert_eq!(
            arrival(&p, clock),
            "evenly spaced; per second: 60 from 0:00:00, 300 by 0:30:00 (ramp from 0:10:00), 60 at 0:50:00"
        );
    }
}
