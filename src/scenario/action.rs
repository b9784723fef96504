//! Listener actions as written (`forward`, `redirect`, `fixed-response`) and their resolution into
//! [`ActionSpec`]s, target group names turned into ids.

use super::FieldError;
use super::path::JsonPath;
use super::ranges::{count_in, ranged_seconds};
use super::tagged::tagged_deserialize;
use super::values::AwsInt;
use crate::model::ids::TargetGroupId;
use crate::model::listener::{ActionSpec, Protocol, RedirectSpec};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A rule action (AWS `Action`).
#[derive(Debug)]
pub enum RawAction {
    /// Forward to one target group, or split by weight across several.
    Forward(RawActionForward),

    /// Redirect; the client follows it.
    Redirect(RawActionRedirect),

    /// Answer directly from the load balancer.
    FixedResponse(RawActionFixedResponse),
}

tagged_deserialize!(RawAction, "type", {
    "forward" => Forward,
    "redirect" => Redirect,
    "fixed-response" => FixedResponse,
});

/// Forward to one target group, or split by weight across several.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionForward {
    /// One target group.
    #[serde(default)]
    pub target_group: Option<String>,
    /// Several target groups with weights 0–999.
    #[serde(default)]
    pub target_groups: Option<Vec<RawWeightedGroup>>,
    /// Target-group-level stickiness of a weighted forward (AWS `TargetGroupStickinessConfig`).
    #[serde(default)]
    pub stickiness: Option<RawGroupStickiness>,
}

/// `TargetGroupStickinessConfig`: keep a session on the target group it was first sent to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroupStickiness {
    /// `Enabled`.
    pub enabled: bool,
    /// `DurationSeconds`, 1–604800.
    #[serde(default)]
    pub duration_seconds: Option<AwsInt>,
}

/// Redirect; the client follows it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionRedirect {
    /// `HTTP` or `HTTPS` or `#{protocol}`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Port or `#{port}`.
    #[serde(default)]
    pub port: Option<String>,
    /// Host or `#{host}`.
    #[serde(default)]
    pub host: Option<String>,
    /// Path (`/#{path}` by default).
    #[serde(default)]
    pub path: Option<String>,
    /// Query (`#{query}` by default).
    #[serde(default)]
    pub query: Option<String>,
    /// `HTTP_301` or `HTTP_302`.
    pub status_code: String,
}

/// Answer directly from the load balancer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionFixedResponse {
    /// 2XX, 4XX or 5XX code, as a string (`"503"`) or number.
    pub status_code: AwsInt,
    /// Content type (informational).
    #[serde(default)]
    pub content_type: Option<String>,
    /// Body (its length counts as response bytes).
    #[serde(default)]
    pub message_body: Option<String>,
}

/// One target group of a weighted forward.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeightedGroup {
    /// Target group name.
    pub name: String,
    /// Weight, 0–999.
    pub weight: u32,
}

/// The one action of a rule or of `default_actions` (AWS allows exactly one of ours).
pub(super) fn single_action(
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

/// The id of target group `name`, or an error listing the defined ones.
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

/// One action; a redirect is checked against the listener's `protocol`.
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
                count_in(
                    list.len(),
                    &list_at,
                    1,
                    5,
                    "target groups per forward action",
                )?;
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
                    Some(st) if st.enabled => Some(ranged_seconds(
                        st.duration_seconds.map(|v| v.0),
                        &at.key("stickiness").key("duration_seconds"),
                        1,
                        604_800,
                        3600,
                    )?),
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
    use crate::scenario::listener::tests::listener;

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

    #[test]
    fn weighted_forward_stickiness_lasts_one_second_to_seven_days() {
        let forward = |seconds: i64| {
            listener(&format!(
                r#"{{"port":80,"protocol":"HTTP","default_actions":[{{"type":"forward","target_groups":[{{"name":"web","weight":1}}],"stickiness":{{"enabled":true,"duration_seconds":{seconds}}}}}]}}"#
            ))
        };
        assert!(forward(1).is_ok() && forward(604_800).is_ok());
        let e = forward(604_801).unwrap_err();
        assert_eq!(
            e.path,
            "listener.default_actions[0].stickiness.duration_seconds"
        );
        assert_eq!(
            e.message,
            "expected an integer in 1–604800 (seconds), got 604801"
        );
    }
}
