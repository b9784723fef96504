//! Listeners, rules and conditions as written (AWS `Listener`, `Rule`, `RuleCondition`:
//! `path-pattern`, `host-header`, `http-header`, `http-request-method`, `query-string`,
//! `source-ip`) and their resolution into [`ListenerSpec`]s.

use super::FieldError;
use super::action::{RawAction, single_action};
use super::number::readable;
use super::path::JsonPath;
use super::ranges::count_in;
use super::tagged::tagged_deserialize;
use crate::engine::SimDuration;
use crate::model::ids::TargetGroupId;
use crate::model::listener::{Condition, ListenerSpec, Protocol, RuleSpec};
use crate::model::matching::{Cidr, wildcard_count};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

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

/// Resolves and checks the listener at `path`; `groups` names the target groups.
pub(super) fn resolve_listener(
    raw: &RawListener,
    path: &JsonPath,
    groups: &BTreeMap<String, TargetGroupId>,
) -> Result<ListenerSpec, FieldError> {
    let port = u16::try_from(raw.port)
        .ok()
        .filter(|&p| p >= 1)
        .ok_or_else(|| {
            path.key("port")
                .error(format!("expected a port in 1–65535, got {}", raw.port))
        })?;
    let protocol = parse_protocol(&raw.protocol, &path.key("protocol"))?;
    let tls_ms = raw.tls_handshake_ms.unwrap_or(2.0);
    if !(0.0..=10_000.0).contains(&tls_ms) {
        return Err(path.key("tls_handshake_ms").error(format!(
            "expected milliseconds in 0–10000 (the ALB's TLS handshake timeout is 10 s), got {}",
            readable(tls_ms)
        )));
    }
    let mut seen = BTreeSet::new();
    let mut rules = Vec::with_capacity(raw.rules.len());
    for (i, rule) in raw.rules.iter().enumerate() {
        let at = path.key("rules").index(i);
        let spec = resolve_rule(rule, &at, protocol, groups)?;
        if !seen.insert(spec.priority) {
            return Err(at.key("priority").error(format!(
                "duplicate priority {} on listener port {port}: priorities must be unique per listener",
                spec.priority
            )));
        }
        rules.push(spec);
    }
    rules.sort_by_key(|r| r.priority);
    let default_action = single_action(
        &raw.default_actions,
        &path.key("default_actions"),
        protocol,
        groups,
    )?;
    Ok(ListenerSpec {
        port,
        protocol,
        tls_handshake: SimDuration::from_millis_f64(if protocol == Protocol::Https {
            tls_ms
        } else {
            0.0
        }),
        http2: protocol == Protocol::Https,
        rules,
        default_action,
    })
}

/// Parses a listener's `protocol`.
pub(super) fn parse_protocol(text: &str, path: &JsonPath) -> Result<Protocol, FieldError> {
    match text {
        "HTTP" => Ok(Protocol::Http),
        "HTTPS" => Ok(Protocol::Https),
        other => Err(path.error(format!("expected \"HTTP\" or \"HTTPS\", got {other:?}"))),
    }
}

/// A rule: AWS's per-rule quotas (1–3 values a condition, 5 values and 5 wildcards a rule).
fn resolve_rule(
    raw: &RawRule,
    path: &JsonPath,
    protocol: Protocol,
    groups: &BTreeMap<String, TargetGroupId>,
) -> Result<RuleSpec, FieldError> {
    if !(1..=50_000).contains(&raw.priority) {
        return Err(path.key("priority").error(format!(
            "expected a priority in 1–50000, got {}",
            raw.priority
        )));
    }
    if raw.conditions.is_empty() {
        return Err(path
            .key("conditions")
            .error("expected at least one condition (only the default rule has none)"));
    }
    let mut conditions = Vec::new();
    let mut singles = BTreeSet::new();
    let (mut values_in_rule, mut wildcards) = (0usize, 0usize);
    for (i, c) in raw.conditions.iter().enumerate() {
        let at = path.key("conditions").index(i);
        let (kind, values, patterns): (&str, usize, Vec<&str>) = match c {
            RawCondition::PathPattern(RawConditionPathPattern { values }) => (
                "path-pattern",
                values.len(),
                values.iter().map(String::as_str).collect(),
            ),
            RawCondition::HostHeader(RawConditionHostHeader { values }) => (
                "host-header",
                values.len(),
                values.iter().map(String::as_str).collect(),
            ),
            RawCondition::HttpHeader(RawConditionHttpHeader { values, .. }) => (
                "http-header",
                values.len(),
                values.iter().map(String::as_str).collect(),
            ),
            RawCondition::HttpRequestMethod(RawConditionHttpRequestMethod { values }) => {
                ("http-request-method", values.len(), vec![])
            }
            RawCondition::QueryString(RawConditionQueryString { values }) => (
                "query-string",
                values.len(),
                values
                    .iter()
                    .flat_map(|q| q.key.as_deref().into_iter().chain([q.value.as_str()]))
                    .collect(),
            ),
            RawCondition::SourceIp(RawConditionSourceIp { values }) => {
                ("source-ip", values.len(), vec![])
            }
        };
        if !matches!(kind, "http-header" | "query-string") && !singles.insert(kind) {
            return Err(at
                .key("field")
                .error(format!("a rule may have at most one {kind} condition")));
        }
        count_in(values, &at.key("values"), 1, 3, "values per condition")?;
        values_in_rule += values;
        wildcards += patterns.iter().map(|p| wildcard_count(p)).sum::<usize>();
        conditions.push(resolve_condition(c, &at)?);
    }
    if values_in_rule > 5 {
        return Err(path.key("conditions").error(format!(
            "expected at most 5 condition values per rule (AWS quota), got {values_in_rule}"
        )));
    }
    if wildcards > 5 {
        return Err(path.key("conditions").error(format!(
            "expected at most 5 wildcards (* or ?) per rule (AWS quota), got {wildcards}"
        )));
    }
    let action = single_action(&raw.actions, &path.key("actions"), protocol, groups)?;
    Ok(RuleSpec {
        priority: raw.priority,
        conditions,
        action,
    })
}

/// One condition, its patterns and addresses parsed.
fn resolve_condition(c: &RawCondition, at: &JsonPath) -> Result<Condition, FieldError> {
    Ok(match c {
        RawCondition::PathPattern(RawConditionPathPattern { values }) => {
            for (i, v) in values.iter().enumerate() {
                if v.len() > 128 {
                    return Err(at
                        .key("values")
                        .index(i)
                        .error("expected a path pattern of at most 128 characters"));
                }
            }
            Condition::PathPattern(values.clone())
        }
        RawCondition::HostHeader(RawConditionHostHeader { values }) => {
            Condition::HostHeader(values.clone())
        }
        RawCondition::HttpHeader(RawConditionHttpHeader {
            http_header_name,
            values,
        }) => {
            if http_header_name.is_empty() || http_header_name.len() > 40 {
                return Err(at
                    .key("http_header_name")
                    .error("expected a header name of 1–40 characters"));
            }
            Condition::HttpHeader {
                name: http_header_name.clone(),
                values: values.clone(),
            }
        }
        RawCondition::HttpRequestMethod(RawConditionHttpRequestMethod { values }) => {
            for (i, m) in values.iter().enumerate() {
                let ok = !m.is_empty()
                    && m.bytes()
                        .all(|b| b.is_ascii_uppercase() || b == b'_' || b == b'-');
                if !ok {
                    return Err(at.key("values").index(i).error(format!(
                        "expected an upper-case method name such as \"GET\" (matching is case-sensitive, no wildcards), got {m:?}"
                    )));
                }
            }
            Condition::HttpRequestMethod(values.clone())
        }
        RawCondition::QueryString(RawConditionQueryString { values }) => Condition::QueryString(
            values
                .iter()
                .map(|q| (q.key.clone(), q.value.clone()))
                .collect(),
        ),
        RawCondition::SourceIp(RawConditionSourceIp { values }) => {
            let mut blocks = Vec::with_capacity(values.len());
            for (i, v) in values.iter().enumerate() {
                blocks.push(Cidr::parse(v).map_err(|m| at.key("values").index(i).error(m))?);
            }
            Condition::SourceIp(blocks)
        }
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::listener::{ActionSpec, RequestView};

    fn view(method: &str, host: &str, path: &str) -> RequestView {
        RequestView {
            method: method.into(),
            host: host.into(),
            path: path.into(),
            headers: BTreeMap::new(),
            query: BTreeMap::new(),
            source_ip: "10.1.2.3".parse().unwrap(),
        }
    }

    /// Resolves a listener at `listener` with target groups `web` and `api`.
    pub(in crate::scenario) fn listener(json: &str) -> Result<ListenerSpec, FieldError> {
        let raw: RawListener = serde_json::from_str(json).unwrap();
        let groups = BTreeMap::from([
            ("web".to_string(), TargetGroupId(0)),
            ("api".to_string(), TargetGroupId(1)),
        ]);
        resolve_listener(&raw, &JsonPath::root().key("listener"), &groups)
    }

    #[test]
    fn lowest_priority_wins_and_default_is_last() {
        let l = listener(
            r#"{"port":80,"protocol":"HTTP",
                "rules":[{"priority":20,"conditions":[{"field":"path-pattern","values":["/api/*"]}],"actions":[{"type":"forward","target_group":"web"}]},
                         {"priority":5,"conditions":[{"field":"path-pattern","values":["/api/*"]}],"actions":[{"type":"forward","target_group":"api"}]}],
                "default_actions":[{"type":"fixed-response","status_code":"404"}]}"#,
        )
        .unwrap();
        match l.evaluate(&view("GET", "x", "/api/a")) {
            ActionSpec::Forward(g, _) => assert_eq!(g, &vec![(TargetGroupId(1), 1)]),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            l.evaluate(&view("GET", "x", "/")),
            ActionSpec::FixedResponse { status: 404, .. }
        ));
    }

    #[test]
    fn aws_limits_are_enforced() {
        let rule = |prio: u32, conds: &str| {
            format!(
                r#"{{"port":80,"protocol":"HTTP","rules":[{{"priority":{prio},"conditions":[{conds}],"actions":[{{"type":"forward","target_group":"web"}}]}}],
                    "default_actions":[{{"type":"forward","target_group":"web"}}]}}"#
            )
        };
        let e = listener(&rule(0, r#"{"field":"path-pattern","values":["/"]}"#)).unwrap_err();
        assert_eq!(e.path, "listener.rules[0].priority");
        let e = listener(&rule(
            1,
            r#"{"field":"path-pattern","values":["/a","/b","/c","/d"]}"#,
        ))
        .unwrap_err();
        assert!(e.message.contains("1–3 values"), "{e:?}");
        let e = listener(&rule(
            1,
            r#"{"field":"path-pattern","values":["/a"]},{"field":"path-pattern","values":["/b"]}"#,
        ))
        .unwrap_err();
        assert!(e.message.contains("at most one path-pattern"), "{e:?}");
        let e = listener(&rule(1, r#"{"field":"path-pattern","values":["/*/*/*"]},{"field":"host-header","values":["*.*.*"]}"#))
            .unwrap_err();
        assert!(e.message.contains("5 wildcards"), "{e:?}");
        let e = listener(&rule(
            1,
            r#"{"field":"source-ip","values":["10.0.0.0/40"]}"#,
        ))
        .unwrap_err();
        assert_eq!(e.path, "listener.rules[0].conditions[0].values[0]");
        let e = listener(&rule(1, "")).unwrap_err();
        assert!(e.message.contains("at least one condition"));
    }
}
