//! Listeners and their rules: conditions, priorities, and the actions `forward`, `redirect` and
//! `fixed-response` (AWS `Listener`, `Rule`, `RuleCondition`, `Action`).
//!
//! A request type always carries the same method, host, path, headers and query, and a client the
//! same source address, so the rule a request matches is known when the model is built. Rules are
//! therefore evaluated once per request type (see [`super::route`]), and the event loop only looks
//! up the precomputed route.

use super::ids::TargetGroupId;
use super::matching::{Cidr, wildcard_count, wildcard_match};
use crate::engine::SimDuration;
use crate::scenario::FieldError;
use crate::scenario::path::JsonPath;
use crate::scenario::raw::*;
use std::collections::{BTreeMap, BTreeSet};
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

    fn parse(text: &str, path: &JsonPath) -> Result<Protocol, FieldError> {
        match text {
            "HTTP" => Ok(Protocol::Http),
            "HTTPS" => Ok(Protocol::Https),
            other => Err(path.error(format!("expected \"HTTP\" or \"HTTPS\", got {other:?}"))),
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

    /// Resolves and checks a listener written at `path`.
    pub fn resolve(
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
        let protocol = Protocol::parse(&raw.protocol, &path.key("protocol"))?;
        let tls_ms = raw.tls_handshake_ms.unwrap_or(2.0);
        if !(0.0..=10_000.0).contains(&tls_ms) {
            return Err(path
                .key("tls_handshake_ms")
                .error(format!("expected milliseconds in 0–10000 (the ALB's TLS handshake timeout is 10 s), got {}", crate::scenario::number::readable(tls_ms))));
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
}

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
        if values == 0 || values > 3 {
            return Err(at
                .key("values")
                .error(format!("expected 1–3 values per condition, got {values}")));
        }
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

fn single_action(
    actions: &[RawAction],
    path: &JsonPath,
    protocol: Protocol,
    groups: &BTreeMap<String, TargetGroupId>,
) -> Result<ActionSpec, FieldError> {
    match actions {
        [one] => resolve_action(one, &path.index(0), protocol, groups),
        _ => Err(path.error(format!(
            "expected exactly one action (forward, redirect or fixed-response), got {}",
            actions.len()
        ))),
    }
}

fn lookup(
    groups: &BTreeMap<String, TargetGroupId>,
    name: &str,
    at: &JsonPath,
) -> Result<TargetGroupId, FieldError> {
    groups.get(name).copied().ok_or_else(|| {
        let known: Vec<&str> = groups.keys().map(String::as_str).collect();
        at.error(format!(
            "no target group named {name:?} (defined: {})",
            known.join(", ")
        ))
    })
}

fn resolve_action(
    raw: &RawAction,
    at: &JsonPath,
    protocol: Protocol,
    groups: &BTreeMap<String, TargetGroupId>,
) -> Result<ActionSpec, FieldError> {
    match raw {
        RawAction::Forward(RawActionForward {
            target_group,
            target_groups,
            stickiness,
        }) => match (target_group, target_groups) {
            (Some(name), None) => {
                if stickiness.is_some() {
                    return Err(at.key("stickiness").error(
                        "group-level stickiness applies to a weighted forward (\"target_groups\")",
                    ));
                }
                Ok(ActionSpec::Forward(
                    vec![(lookup(groups, name, &at.key("target_group"))?, 1)],
                    None,
                ))
            }
            (None, Some(list)) => {
                let list_at = at.key("target_groups");
                if list.is_empty() || list.len() > 5 {
                    return Err(list_at.error(format!(
                        "expected 1–5 target groups per forward action, got {}",
                        list.len()
                    )));
                }
                let mut out = Vec::with_capacity(list.len());
                for (i, g) in list.iter().enumerate() {
                    let id = lookup(groups, &g.name, &list_at.index(i).key("name"))?;
                    if out.iter().any(|&(seen, _)| seen == id) {
                        return Err(list_at
                            .index(i)
                            .key("name")
                            .error(format!("target group {:?} listed twice", g.name)));
                    }
                    if g.weight > 999 {
                        return Err(list_at
                            .index(i)
                            .key("weight")
                            .error(format!("expected a weight in 0–999, got {}", g.weight)));
                    }
                    out.push((id, g.weight));
                }
                if out.iter().all(|&(_, w)| w == 0) {
                    return Err(
                        list_at.error("expected at least one target group with a weight above 0")
                    );
                }
                let sticky = match stickiness {
                    Some(st) if st.enabled => {
                        let d = st.duration_seconds.map_or(3600, |v| v.0);
                        if !(1..=604_800).contains(&d) {
                            return Err(at.key("stickiness").key("duration_seconds").error(
                                format!("expected an integer in 1–604800 (seconds), got {d}"),
                            ));
                        }
                        Some(SimDuration::from_secs(d as u64))
                    }
                    _ => None,
                };
                Ok(ActionSpec::Forward(out, sticky))
            }
            _ => Err(at.error(
                "a forward action needs either \"target_group\" or \"target_groups\" (not both)",
            )),
        },
        RawAction::Redirect(RawActionRedirect {
            protocol: to_proto,
            port,
            host,
            path,
            query,
            status_code,
        }) => {
            let status = match status_code.as_str() {
                "HTTP_301" => 301,
                "HTTP_302" => 302,
                other => {
                    return Err(at.key("status_code").error(format!(
                        "expected \"HTTP_301\" or \"HTTP_302\", got {other:?}"
                    )));
                }
            };
            let spec = RedirectSpec {
                protocol: to_proto.clone().unwrap_or_else(|| "#{protocol}".into()),
                port: port.clone().unwrap_or_else(|| "#{port}".into()),
                host: host.clone().unwrap_or_else(|| "#{host}".into()),
                path: path.clone().unwrap_or_else(|| "/#{path}".into()),
                query: query.clone().unwrap_or_else(|| "#{query}".into()),
                status,
            };
            if !matches!(spec.protocol.as_str(), "HTTP" | "HTTPS" | "#{protocol}") {
                return Err(at.key("protocol").error(format!(
                    "expected \"HTTP\", \"HTTPS\" or \"#{{protocol}}\", got {:?}",
                    spec.protocol
                )));
            }
            if protocol == Protocol::Https && spec.protocol == "HTTP" {
                return Err(at
                    .key("protocol")
                    .error("AWS does not allow a redirect from HTTPS to HTTP"));
            }
            if !spec.path.starts_with('/') {
                return Err(at.key("path").error(format!(
                    "expected a path starting with '/', got {:?}",
                    spec.path
                )));
            }
            if spec.protocol == "#{protocol}"
                && spec.port == "#{port}"
                && spec.host == "#{host}"
                && spec.path == "/#{path}"
            {
                return Err(at.error("a redirect must change at least one of protocol, port, host or path (it would loop)"));
            }
            Ok(ActionSpec::Redirect(spec))
        }
        RawAction::FixedResponse(RawActionFixedResponse {
            status_code,
            message_body,
            ..
        }) => {
            let s = status_code.0;
            let ok = (200..300).contains(&s) || (400..600).contains(&s);
            if !ok {
                return Err(at
                    .key("status_code")
                    .error(format!("expected a 2XX, 4XX or 5XX status code, got {s}")));
            }
            let body = message_body.as_deref().unwrap_or("");
            if body.len() > 1024 {
                return Err(at
                    .key("message_body")
                    .error("expected a body of at most 1024 characters"));
            }
            Ok(ActionSpec::FixedResponse {
                status: s as u16,
                body_bytes: body.len() as u64,
            })
        }
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

    fn listener(json: &str) -> Result<ListenerSpec, FieldError> {
        let raw: RawListener = serde_json::from_str(json).unwrap();
        let groups = BTreeMap::from([
            ("web".to_string(), TargetGroupId(0)),
            ("api".to_string(), TargetGroupId(1)),
        ]);
        ListenerSpec::resolve(&raw, &JsonPath::root().key("listener"), &groups)
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

    #[test]
    fn forward_and_redirect_checks() {
        let l = |action: &str| {
            listener(&format!(
                r#"{{"port":443,"protocol":"HTTPS","default_actions":[{action}]}}"#
            ))
        };
        assert!(
            l(r#"{"type":"forward","target_group":"nope"}"#)
                .unwrap_err()
                .message
                .contains("defined: api, web")
        );
        assert!(
            l(r#"{"type":"forward","target_groups":[{"name":"web","weight":1000}]}"#)
                .unwrap_err()
                .message
                .contains("0–999")
        );
        assert!(l(r#"{"type":"forward","target_groups":[{"name":"web","weight":0}]}"#).is_err());
        assert!(
            l(r#"{"type":"redirect","protocol":"HTTP","status_code":"HTTP_301"}"#)
                .unwrap_err()
                .message
                .contains("HTTPS to HTTP")
        );
        assert!(
            l(r#"{"type":"redirect","status_code":"HTTP_301"}"#)
                .unwrap_err()
                .message
                .contains("loop")
        );
        assert!(
            l(r#"{"type":"redirect","host":"b.example.com","status_code":"HTTP_307"}"#).is_err()
        );
        assert!(l(r#"{"type":"fixed-response","status_code":"302"}"#).is_err());
        assert!(l(r#"{"type":"forward","target_group":"web"}"#).is_ok());
    }
}
