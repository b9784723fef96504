//! Target group health checks as written (`HealthCheckIntervalSeconds`,
//! `HealthCheckTimeoutSeconds`, `HealthyThresholdCount`, `UnhealthyThresholdCount`, `Matcher`) and
//! their resolution into a [`HealthCheckSpec`].

use super::FieldError;
use super::distribution::RawDistribution;
use super::distribution::{RawDistributionConstant, resolve_distribution};
use super::path::JsonPath;
use super::ranges::{count_in, ranged_count};
use super::values::{AwsBool, AwsInt, DurationValue};
use crate::engine::SimDuration;
use crate::model::health::HealthCheckSpec;
use serde::Deserialize;

/// Target group health check settings, in AWS spelling, plus albsim's assumptions (snake_case).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealthCheck {
    /// `HealthCheckEnabled` (default true).
    #[serde(rename = "HealthCheckEnabled", default)]
    pub enabled: Option<AwsBool>,
    /// `HealthCheckProtocol`: `HTTP` (default) or `HTTPS`.
    #[serde(rename = "HealthCheckProtocol", default)]
    pub protocol: Option<String>,
    /// `HealthCheckPort`: `traffic-port` (default) or a port.
    #[serde(rename = "HealthCheckPort", default)]
    pub port: Option<String>,
    /// `HealthCheckPath` (default `/`).
    #[serde(rename = "HealthCheckPath", default)]
    pub path: Option<String>,
    /// `HealthCheckIntervalSeconds`, 5–300, default 30.
    #[serde(rename = "HealthCheckIntervalSeconds", default)]
    pub interval_seconds: Option<AwsInt>,
    /// `HealthCheckTimeoutSeconds`, 2–120, default 5.
    #[serde(rename = "HealthCheckTimeoutSeconds", default)]
    pub timeout_seconds: Option<AwsInt>,
    /// `HealthyThresholdCount`, 2–10, default 5.
    #[serde(rename = "HealthyThresholdCount", default)]
    pub healthy_threshold: Option<AwsInt>,
    /// `UnhealthyThresholdCount`, 2–10, default 2.
    #[serde(rename = "UnhealthyThresholdCount", default)]
    pub unhealthy_threshold: Option<AwsInt>,
    /// `Matcher`: `{"HttpCode": "200"}` (default), lists `"200,202"` and ranges `"200-299"`.
    #[serde(rename = "Matcher", default)]
    pub matcher: Option<RawMatcher>,
    /// Time the target spends answering a check (default constant 1 ms; an assumption).
    #[serde(default)]
    pub service_time: Option<RawDistribution>,
    /// Load balancer nodes that each check every target (default 2, ALB's minimum of two AZs; an
    /// assumption: AWS does not document the count). The first node's results drive the state.
    #[serde(default)]
    pub nodes: Option<u32>,
    /// Delay of the first check after registration (default: uniformly random within one interval;
    /// an assumption).
    #[serde(default)]
    pub first_check_delay: Option<DurationValue>,
}

/// `Matcher` of a health check.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatcher {
    /// Success codes, e.g. `"200"`, `"200,202"`, `"200-299"`.
    #[serde(rename = "HttpCode")]
    pub http_code: String,
}

/// Resolves the `health_check` object at `path`.
pub(super) fn resolve_health_check(
    raw: &RawHealthCheck,
    path: &JsonPath,
) -> Result<HealthCheckSpec, FieldError> {
    // These messages name no unit (each key says it): "expected an integer in 5–300, got 400".
    let int = |v: Option<AwsInt>, key: &str, lo, hi, default| {
        ranged_count(v.map(|v| v.0), &path.key(key), lo, hi, default)
    };
    let interval = int(
        raw.interval_seconds,
        "HealthCheckIntervalSeconds",
        5,
        300,
        30,
    )?;
    let timeout = int(raw.timeout_seconds, "HealthCheckTimeoutSeconds", 2, 120, 5)?;
    if timeout >= interval {
        return Err(path.key("HealthCheckTimeoutSeconds").error(format!(
            "expected a timeout shorter than HealthCheckIntervalSeconds ({interval} s), got {timeout} s"
        )));
    }
    let healthy = int(raw.healthy_threshold, "HealthyThresholdCount", 2, 10, 5)?;
    let unhealthy = int(raw.unhealthy_threshold, "UnhealthyThresholdCount", 2, 10, 2)?;
    match raw.protocol.as_deref() {
        None | Some("HTTP") | Some("HTTPS") => {}
        Some(other) => {
            return Err(path
                .key("HealthCheckProtocol")
                .error(format!("expected \"HTTP\" or \"HTTPS\", got {other:?}")));
        }
    }
    if let Some(port) = raw.port.as_deref() {
        let ok = port == "traffic-port" || port.parse::<u16>().is_ok_and(|p| p >= 1);
        if !ok {
            return Err(path.key("HealthCheckPort").error(format!(
                "expected \"traffic-port\" or a port in 1–65535, got {port:?}"
            )));
        }
    }
    let hc_path = raw.path.clone().unwrap_or_else(|| "/".into());
    if !hc_path.starts_with('/') || hc_path.len() > 1024 {
        return Err(path
            .key("HealthCheckPath")
            .error("expected a path starting with '/' of at most 1024 characters"));
    }
    let matcher = match &raw.matcher {
        None => vec![(200, 200)],
        Some(m) => {
            parse_matcher(&m.http_code).map_err(|e| path.key("Matcher").key("HttpCode").error(e))?
        }
    };
    let default_service = RawDistribution::Constant(RawDistributionConstant { ms: 1.0 });
    let service_time = resolve_distribution(
        raw.service_time.as_ref().unwrap_or(&default_service),
        &path.key("service_time"),
    )?;
    let nodes = count_in(
        raw.nodes.unwrap_or(2),
        &path.key("nodes"),
        1,
        10,
        "load balancer nodes",
    )?;
    let first_check_delay = match raw.first_check_delay {
        None => None,
        Some(d) if d.0 <= std::time::Duration::from_secs(interval as u64) => Some(
            super::timing::time_value(d.0, &path.key("first_check_delay"))?,
        ),
        Some(d) => {
            return Err(path.key("first_check_delay").error(format!(
                "expected at most one interval ({interval} s), got {} s",
                super::number::readable(d.0.as_secs_f64())
            )));
        }
    };
    Ok(HealthCheckSpec {
        enabled: raw.enabled.is_none_or(|b| b.0),
        path: hc_path,
        interval: SimDuration::from_secs(interval as u64),
        timeout: SimDuration::from_secs(timeout as u64),
        healthy_threshold: healthy as u32,
        unhealthy_threshold: unhealthy as u32,
        matcher,
        service_time,
        nodes,
        first_check_delay,
    })
}

/// Parses `"200"`, `"200,202"`, `"200-299"` (codes 200–499, as AWS allows for HTTP).
fn parse_matcher(text: &str) -> Result<Vec<(u16, u16)>, String> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let (lo, hi) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u16>(), b.trim().parse::<u16>()),
            None => (part.parse::<u16>(), part.parse::<u16>()),
        };
        match (lo, hi) {
            (Ok(lo), Ok(hi))
                if (200..=499).contains(&lo) && (200..=499).contains(&hi) && lo <= hi =>
            {
                out.push((lo, hi))
            }
            _ => {
                return Err(format!(
                    "expected HTTP codes in 200–499 as a list (\"200,202\") or a range (\"200-299\"), got {text:?}"
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimDuration;

    fn spec() -> HealthCheckSpec {
        resolve_health_check(&RawHealthCheck::default(), &JsonPath::root()).unwrap()
    }

    #[test]
    fn aws_defaults() {
        let s = spec();
        assert_eq!(s.interval, SimDuration::from_secs(30));
        assert_eq!(s.timeout, SimDuration::from_secs(5));
        assert_eq!((s.healthy_threshold, s.unhealthy_threshold), (5, 2));
        assert!(s.matches(200) && !s.matches(204));
    }

    #[test]
    fn the_runtime_tests_defaults_are_the_resolvers() {
        // model/health.rs and model/target_group.rs test the runtime with
        // HealthCheckSpec::aws_defaults(); it must be what an empty health_check resolves to.
        let (r, d) = (spec(), HealthCheckSpec::aws_defaults());
        assert_eq!((r.enabled, &r.path, r.nodes), (d.enabled, &d.path, d.nodes));
        assert_eq!((r.interval, r.timeout), (d.interval, d.timeout));
        assert_eq!(
            (r.healthy_threshold, r.unhealthy_threshold),
            (d.healthy_threshold, d.unhealthy_threshold)
        );
        assert_eq!(r.matcher, d.matcher);
        assert_eq!(r.service_time, d.service_time);
        assert_eq!(r.first_check_delay, d.first_check_delay);
    }

    #[test]
    fn matcher_lists_and_ranges() {
        assert_eq!(
            parse_matcher("200,202").unwrap(),
            vec![(200, 200), (202, 202)]
        );
        assert_eq!(parse_matcher("200-299").unwrap(), vec![(200, 299)]);
        assert!(parse_matcher("100").is_err());
        assert!(parse_matcher("300-200").is_err());
    }

    #[test]
    fn timeout_must_be_shorter_than_interval() {
        let raw = RawHealthCheck {
            interval_seconds: Some(AwsInt(10)),
            timeout_seconds: Some(AwsInt(10)),
            ..Default::default()
        };
        let e = resolve_health_check(&raw, &JsonPath::root().key("health_check")).unwrap_err();
        assert_eq!(e.path, "health_check.HealthCheckTimeoutSeconds");
    }
}
