//! Listeners and their rules: conditions, priorities, and the actions `forward`, `redirect` and
//! `fixed-response` (AWS `Listener`, `Rule`, `RuleCondition`, `Action`).
//!
//! A request type always carries the same method, host, path, headers and query, and a client the
//! same source address, so the rule a request matches is known when the model is built. Rules are
//! therefore evaluated once per request type (see [`super::route`]), and the event loop only looks
//! up the precomputed route.

use super::ids::TargetGroupId;
use super::matching::{Cidr, wildcard_match};
use crate::engine::SimDuration;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Listener protocol (AWS `Protocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// Plain HTTP.
    Http,
    /// HTTP over TLS, terminated at the load balancer.
    Https,
}

impl Protocol {
    /// AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP",
            Protocol::Https => "HTTPS",
        }
    }
}

/// A resolved listener.
#[derive(Clone, Debug)]
pub struct ListenerSpec {
    /// Port, 1–65535.
    pub port: u16,
    /// HTTP or HTTPS.
    pub protocol: Protocol,
    /// Time to complete a TLS handshake on a new connection (HTTPS only; an assumption, default 2 ms).
    pub tls_handshake: SimDuration,
    /// Whether clients may use HTTP/2 (HTTPS and `routing.http2.enabled`).
    pub http2: bool,
    /// Rules by ascending priority.
    pub rules: Vec<RuleSpec>,
    /// The default rule's action.
    pub default_action: ActionSpec,
}

/// A listener rule.
#[derive(Clone, Debug)]
pub struct RuleSpec {
    /// Priority, 1–50000.
    pub priority: u32,
    /// All must match.
    pub conditions: Vec<Condition>,
    /// What to do when they do.
    pub action: ActionSpec,
}

/// A rule condition (AWS `RuleCondition`); a condition matches if any of its values does.
#[derive(Clone, Debug)]
pub enum Condition {
    /// `path-pattern`: case-sensitive wildcards on the path.
    PathPattern(Vec<String>),
    /// `host-header`: case-insensitive wildcards on the host.
    HostHeader(Vec<String>),
    /// `http-header`: case-insensitive wildcards on one header's value.
    HttpHeader {
        /// Header name (case-insensitive).
        name: String,
        /// Value patterns.
        values: Vec<String>,
    },
    /// `http-request-method`: exact, case-sensitive.
    HttpRequestMethod(Vec<String>),
    /// `query-string`: `(key pattern or any, value pattern)`, case-insensitive.
    QueryString(Vec<(Option<String>, String)>),
    /// `source-ip`: CIDR blocks.
    SourceIp(Vec<Cidr>),
}

/// A rule action (AWS `Action`).
#[derive(Clone, Debug)]
pub enum ActionSpec {
    /// `forward` to one group, or weighted across up to 5 (weights 0–999), with optional
    /// target-group stickiness (`TargetGroupStickinessConfig.DurationSeconds`).
    Forward(Vec<(TargetGroupId, u32)>, Option<SimDuration>),
    /// `redirect`: the client is told to go elsewhere and follows.
    Redirect(RedirectSpec),
    /// `fixed-response`: the load balancer answers itself.
    FixedResponse {
        /// Status code, 2XX/4XX/5XX.
        status: u16,
        /// Body length \[bytes\].
        body_bytes: u64,
    },
}

/// A `redirect` action's target, with AWS's `#{…}` keywords.
#[derive(Clone, Debug)]
pub struct RedirectSpec {
    /// `HTTP`, `HTTPS` or `#{protocol}`.
    pub protocol: String,
    /// Port or `#{port}`.
    pub port: String,
    /// Host or `#{host}`.
    pub host: String,
    /// Path, default `/#{path}`.
    pub path: String,
    /// Query, default `#{query}`.
    pub query: String,
    /// 301 or 302.
    pub status: u16,
}

/// What a rule sees of a request.
#[derive(Clone, Debug)]
pub struct RequestView {
    /// HTTP method.
    pub method: String,
    /// `Host` header.
    pub host: String,
    /// Path (no query).
    pub path: String,
    /// Headers.
    pub headers: BTreeMap<String, String>,
    /// Query parameters.
    pub query: BTreeMap<String, String>,
    /// Client address.
    pub source_ip: IpAddr,
}

impl Condition {
    /// Whether the request satisfies this condition.
    pub fn matches(&self, r: &RequestView) -> bool {
        match self {
            Condition::PathPattern(v) => v.iter().any(|p| wildcard_match(p, &r.path, false)),
            Condition::HostHeader(v) => v.iter().any(|p| wildcard_match(p, &r.host, true)),
            Condition::HttpHeader { name, values } => r
                .headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .any(|(_, val)| values.iter().any(|p| wildcard_match(p, val, true))),
            Condition::HttpRequestMethod(v) => v.contains(&r.method),
            Condition::QueryString(pairs) => pairs.iter().any(|(kp, vp)| {
                r.query.iter().any(|(k, v)| {
                    kp.as_ref().is_none_or(|kp| wildcard_match(kp, k, true))
                        && wildcard_match(vp, v, true)
                })
            }),
            Condition::SourceIp(blocks) => blocks.iter().any(|c| c.contains(r.source_ip)),
        }
    }
}

impl ListenerSpec {
    /// The action for `r`: the first rule (by priority) whose conditions all match, else the default.
    pub fn evaluate(&self, r: &RequestView) -> &ActionSpec {
        self.rules
            .iter()
            .find(|rule| rule.conditions.iter().all(|c| c.matches(r)))
            .map_or(&self.default_action, |rule| &rule.action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(method: &str, host: &str, path: &str) -> RequestView {
        RequestView {
            method: method.into(),
            host: host.into(),
            path: path.into(),
            headers: BTreeMap::from([(
                "User-Agent".to_string(),
                "Mozilla/5.0 (iPhone)".to_string(),
            )]),
            query: BTreeMap::from([("version".to_string(), "v2".to_string())]),
            source_ip: "10.1.2.3".parse().unwrap(),
        }
    }

    #[test]
    fn every_condition_kind_matches_as_aws_documents() {
        let r = view("GET", "API.example.com", "/api/items");
        assert!(Condition::PathPattern(vec!["/api/*".into()]).matches(&r));
        assert!(
            !Condition::PathPattern(vec!["/API/*".into()]).matches(&r),
            "path is case-sensitive"
        );
        assert!(
            Condition::HostHeader(vec!["api.*.com".into()]).matches(&r),
            "host is case-insensitive"
        );
        assert!(
            Condition::HttpHeader {
                name: "user-agent".into(),
                values: vec!["*iphone*".into()]
            }
            .matches(&r)
        );
        assert!(
            !Condition::HttpHeader {
                name: "X-Missing".into(),
                values: vec!["*".into()]
            }
            .matches(&r)
        );
        assert!(Condition::HttpRequestMethod(vec!["POST".into(), "GET".into()]).matches(&r));
        assert!(
            !Condition::HttpRequestMethod(vec!["get".into()]).matches(&r),
            "method is case-sensitive"
        );
        assert!(Condition::QueryString(vec![(Some("VERSION".into()), "v?".into())]).matches(&r));
        assert!(
            Condition::QueryString(vec![(None, "V2".into())]).matches(&r),
            "key may be omitted"
        );
        assert!(!Condition::QueryString(vec![(Some("version".into()), "v1".into())]).matches(&r));
        assert!(Condition::SourceIp(vec![Cidr::parse("10.0.0.0/8").unwrap()]).matches(&r));
        assert!(!Condition::SourceIp(vec![Cidr::parse("192.168.0.0/16").unwrap()]).matches(&r));
    }
}
