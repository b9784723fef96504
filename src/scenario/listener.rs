//! Listeners, rules and conditions as written (AWS `Listener`, `Rule`, `RuleCondition`:
//! `path-pattern`, `host-header`, `http-header`, `http-request-method`, `query-string`,
//! `source-ip`) and their resolution into [`ListenerSpec`]s.

use super::action::RawAction;
use super::tagged::tagged_deserialize;
use serde::Deserialize;

/// A listener.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawListener {
    /// Port, 1–65535.
    pub port: u32,
    /// `HTTP` or `HTTPS`.
    pub protocol: String,
    /// ALB-side TLS handshake time on a new HTTPS connection \[ms\] (default 2; an assumption).
    #[serde(default)]
    pub tls_handshake_ms: Option<f64>,
    /// Rules, evaluated by ascending priority.
    #[serde(default)]
    pub rules: Vec<RawRule>,
    /// The default rule's action.
    pub default_actions: Vec<RawAction>,
}

/// A listener rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Priority, 1–50000, unique per listener; lowest first.
    pub priority: u32,
    /// Conditions; all must match.
    pub conditions: Vec<RawCondition>,
    /// The action taken when the rule matches.
    pub actions: Vec<RawAction>,
}

/// A rule condition (AWS `RuleCondition`).
#[derive(Debug)]
pub enum RawCondition {
    /// Path wildcards (`*`, `?`), case-sensitive.
    PathPattern(RawConditionPathPattern),

    /// Host wildcards, case-insensitive.
    HostHeader(RawConditionHostHeader),

    /// A header's value, wildcards, case-insensitive.
    HttpHeader(RawConditionHttpHeader),

    /// Request method, exact and case-sensitive.
    HttpRequestMethod(RawConditionHttpRequestMethod),

    /// Query-string key/value pairs, wildcards, case-insensitive.
    QueryString(RawConditionQueryString),

    /// Client source address in CIDR blocks.
    SourceIp(RawConditionSourceIp),
}

tagged_deserialize!(RawCondition, "field", {
    "path-pattern" => PathPattern,
    "host-header" => HostHeader,
    "http-header" => HttpHeader,
    "http-request-method" => HttpRequestMethod,
    "query-string" => QueryString,
    "source-ip" => SourceIp,
});

/// Path wildcards (`*`, `?`), case-sensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionPathPattern {
    /// Patterns, any may match.
    pub values: Vec<String>,
}

/// Host wildcards, case-insensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionHostHeader {
    /// Patterns, any may match.
    pub values: Vec<String>,
}

/// A header's value, wildcards, case-insensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionHttpHeader {
    /// Header name.
    pub http_header_name: String,
    /// Patterns, any may match.
    pub values: Vec<String>,
}

/// Request method, exact and case-sensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionHttpRequestMethod {
    /// Methods, any may match.
    pub values: Vec<String>,
}

/// Query-string key/value pairs, wildcards, case-insensitive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionQueryString {
    /// Pairs, any may match; a missing key matches any key.
    pub values: Vec<RawQueryPair>,
}

/// Client source address in CIDR blocks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionSourceIp {
    /// CIDR blocks, any may match.
    pub values: Vec<String>,
}

/// One `query-string` condition value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueryPair {
    /// Key pattern (optional: any key).
    #[serde(default)]
    pub key: Option<String>,
    /// Value pattern.
    pub value: String,
}
