//! `AWS::ElasticLoadBalancingV2::LoadBalancer` (+ `LoadBalancerAttributes`), its `::Listener`s
//! (protocol, port, default actions) and their `::ListenerRule`s (priority, conditions, actions)
//! → `load_balancer`.

use super::read::Prop;
use super::{Ctx, LISTENER, LISTENER_RULE, LOAD_BALANCER};
use crate::import::cloudformation::ImportError;
use serde_json::{Map, Value as Json, json};

/// Integer load balancer attributes albsim models, with AWS's ranges.
const LB_INTS: &[(&str, i64, i64)] = &[
    ("idle_timeout.timeout_seconds", 1, 4000),
    ("client_keep_alive.seconds", 60, 604_800),
];

/// The template's Application Load Balancer (the first one; others are ignored with a note).
pub fn map(cx: &mut Ctx<'_>) -> Result<Json, ImportError> {
    let albs: Vec<_> = cx
        .of_type(LOAD_BALANCER)
        .filter(|r| {
            cx.props(r)
                .str_of("Type")
                .ok()
                .flatten()
                .is_none_or(|t| t == "application")
        })
        .collect();
    let Some(&lb) = albs.first() else {
        return Err(ImportError {
            file: cx.file.to_path_buf(),
            mark: None,
            context: Some("Resources".into()),
            message: format!(
                "expected an Application Load Balancer ({LOAD_BALANCER} with Type application, the default): albsim models an ALB and what is behind it"
            ),
        });
    };
    for other in cx.of_type(LOAD_BALANCER) {
        if other.logical_id != lb.logical_id {
            cx.ignored
                .push((other.logical_id.clone(), other.type_name.clone()));
            cx.note(
                &other.logical_id,
                format!(
                    "albsim models one load balancer: {} is imported, this one is not",
                    lb.logical_id
                ),
            );
        }
    }
    let p = cx.props(lb);
    let mut out = Map::new();
    out.insert(
        "name".into(),
        json!(p.str_of("Name")?.unwrap_or_else(|| lb.logical_id.clone())),
    );
    let mut attrs = Map::new();
    if let Some(list) = p.get("LoadBalancerAttributes") {
        for item in list.items()? {
            let key = item
                .get("Key")
                .ok_or_else(|| item.error("expected a Key and a Value"))?
                .string()?;
            let Some(value) = item.get("Value") else {
                continue;
            };
            if let Some(&(_, lo, hi)) = LB_INTS.iter().find(|(k, ..)| *k == key) {
                attrs.insert(key, json!(value.int(lo, hi)?));
            } else if key == "routing.http2.enabled" {
                attrs.insert(key, json!(value.bool()?));
            } else {
                cx.note(
                    &lb.logical_id,
                    format!(
                        "load balancer attribute {key} = {}: albsim does not model it; ignored",
                        value.string().unwrap_or_else(|_| "…".into())
                    ),
                );
            }
        }
    }
    if !attrs.is_empty() {
        out.insert("attributes".into(), Json::Object(attrs));
    }
    let listeners: Vec<_> = cx
        .of_type(LISTENER)
        .filter(|l| {
            cx.props(l)
                .get("LoadBalancerArn")
                .and_then(|a| a.reference(&[]))
                .as_deref()
                == Some(lb.logical_id.as_str())
        })
        .collect();
    let mut mapped = Vec::new();
    for l in &listeners {
        mapped.push(listener(cx, l)?);
    }
    for l in cx.of_type(LISTENER) {
        if !listeners.iter().any(|m| m.logical_id == l.logical_id) {
            cx.ignored.push((l.logical_id.clone(), l.type_name.clone()));
            cx.note(
                &l.logical_id,
                format!("not a listener of {}; not imported", lb.logical_id),
            );
        }
    }
    if mapped.is_empty() {
        return Err(cx.error(
            lb,
            format!(
                "expected at least one {LISTENER} whose LoadBalancerArn is !Ref {}",
                lb.logical_id
            ),
        ));
    }
    out.insert("listeners".into(), Json::Array(mapped));
    Ok(Json::Object(out))
}

/// One listener and the rules attached to it.
fn listener(cx: &mut Ctx<'_>, l: &super::Resolved) -> Result<Json, ImportError> {
    let p = cx.props(l);
    let mut out = Map::new();
    let protocol = p.str_of("Protocol")?;
    let port = p.int_of("Port", 1, 65_535)?;
    let (port, protocol) = match (port, protocol) {
        (Some(port), Some(proto)) => (port, proto),
        (port, proto) => {
            let proto =
                proto.unwrap_or_else(|| if port == Some(443) { "HTTPS" } else { "HTTP" }.into());
            let port = port.unwrap_or(if proto == "HTTPS" { 443 } else { 80 });
            cx.note(
                &l.logical_id,
                format!("Port or Protocol not given: imported as {proto}:{port}"),
            );
            (port, proto)
        }
    };
    if protocol != "HTTP" && protocol != "HTTPS" {
        return Err(p.get("Protocol").unwrap_or(p.clone()).error(format!(
            "expected HTTP or HTTPS (an Application Load Balancer listener), got {protocol:?}"
        )));
    }
    out.insert("port".into(), json!(port));
    out.insert("protocol".into(), json!(protocol));
    let mut rules: Vec<(i64, Json)> = Vec::new();
    let rule_resources: Vec<_> = cx
        .of_type(LISTENER_RULE)
        .filter(|r| {
            cx.props(r)
                .get("ListenerArn")
                .and_then(|a| a.reference(&[]))
                .as_deref()
                == Some(l.logical_id.as_str())
        })
        .collect();
    for r in rule_resources {
        let rp = cx.props(r);
        let priority = rp
            .get("Priority")
            .ok_or_else(|| cx.error(r, "expected a Priority (1–50000)"))?
            .int(1, 50_000)?;
        let conditions = conditions(
            &rp.get("Conditions")
                .ok_or_else(|| cx.error(r, "expected Conditions"))?,
        )?;
        let actions = actions(
            cx,
            &rp.get("Actions")
                .ok_or_else(|| cx.error(r, "expected Actions"))?,
        )?;
        rules.push((
            priority,
            json!({ "priority": priority, "conditions": conditions, "actions": actions }),
        ));
    }
    rules.sort_by_key(|(p, _)| *p);
    if !rules.is_empty() {
        out.insert(
            "rules".into(),
            Json::Array(rules.into_iter().map(|(_, r)| r).collect()),
        );
    }
    let defaults = p
        .get("DefaultActions")
        .ok_or_else(|| cx.error(l, "expected DefaultActions"))?;
    out.insert("default_actions".into(), actions(cx, &defaults)?);
    Ok(Json::Object(out))
}

/// A rule's or listener's actions, in their `Order`.
fn actions(cx: &mut Ctx<'_>, list: &Prop<'_>) -> Result<Json, ImportError> {
    let mut ordered = Vec::new();
    for (i, a) in list.items()?.into_iter().enumerate() {
        let order = a.int_of("Order", 1, 50_000)?.unwrap_or(50_001 + i as i64);
        ordered.push((order, a));
    }
    ordered.sort_by_key(|(o, _)| *o);
    let mut out = Vec::new();
    for (_, a) in ordered {
        let kind = a
            .get("Type")
            .ok_or_else(|| a.error("expected a Type (forward, redirect or fixed-response)"))?
            .string()?;
        match kind.as_str() {
            "forward" => out.push(forward(cx, &a)?),
            "redirect" => {
                let c = a
                    .get("RedirectConfig")
                    .ok_or_else(|| a.error("expected a RedirectConfig"))?;
                let mut r = Map::new();
                r.insert("type".into(), json!("redirect"));
                for (key, name) in [
                    ("Protocol", "protocol"),
                    ("Port", "port"),
                    ("Host", "host"),
                    ("Path", "path"),
                    ("Query", "query"),
                ] {
                    if let Some(v) = c.str_of(key)? {
                        r.insert(name.into(), json!(v));
                    }
                }
                let code = c
                    .get("StatusCode")
                    .ok_or_else(|| c.error("expected a StatusCode (HTTP_301 or HTTP_302)"))?
                    .string()?;
                r.insert("status_code".into(), json!(code));
                out.push(Json::Object(r));
            }
            "fixed-response" => {
                let c = a
                    .get("FixedResponseConfig")
                    .ok_or_else(|| a.error("expected a FixedResponseConfig"))?;
                let mut r = Map::new();
                r.insert("type".into(), json!("fixed-response"));
                let code = c
                    .get("StatusCode")
                    .ok_or_else(|| c.error("expected a StatusCode"))?
                    .string()?;
                r.insert("status_code".into(), json!(code));
                if let Some(v) = c.str_of("ContentType")? {
                    r.insert("content_type".into(), json!(v));
                }
                if let Some(v) = c.str_of("MessageBody")? {
                    r.insert("message_body".into(), json!(v));
                }
                out.push(Json::Object(r));
            }
            "authenticate-oidc" | "authenticate-cognito" => {
                cx.note(
                    a.id,
                    format!("{}: albsim does not model {kind} actions; the rule's next action is imported", a.path),
                );
            }
            other => {
                return Err(a.get("Type").unwrap_or(a.clone()).error(format!(
                    "expected forward, redirect, fixed-response, authenticate-oidc or authenticate-cognito, got {other:?}"
                )));
            }
        }
    }
    if out.is_empty() {
        return Err(list.error("expected a forward, redirect or fixed-response action"));
    }
    // The first terminal action is what a request gets; albsim takes one action.
    out.truncate(1);
    Ok(Json::Array(out))
}

/// A forward action: one target group, or weighted target groups with optional stickiness.
fn forward(cx: &mut Ctx<'_>, a: &Prop<'_>) -> Result<Json, ImportError> {
    if let Some(config) = a.get("ForwardConfig") {
        let groups = config
            .get("TargetGroups")
            .ok_or_else(|| config.error("expected TargetGroups"))?;
        let mut weighted = Vec::new();
        for g in groups.items()? {
            let arn = g
                .get("TargetGroupArn")
                .ok_or_else(|| g.error("expected a TargetGroupArn"))?;
            let name = cx.target_group(&arn)?;
            let weight = g.int_of("Weight", 0, 999)?.unwrap_or(1);
            weighted.push(json!({ "name": name, "weight": weight }));
        }
        let mut out = Map::new();
        out.insert("type".into(), json!("forward"));
        if weighted.len() == 1 && config.get("TargetGroupStickinessConfig").is_none() {
            out.insert("target_group".into(), weighted[0]["name"].clone());
            return Ok(Json::Object(out));
        }
        out.insert("target_groups".into(), Json::Array(weighted));
        if let Some(s) = config.get("TargetGroupStickinessConfig") {
            let mut st = Map::new();
            st.insert(
                "enabled".into(),
                json!(s.bool_of("Enabled")?.unwrap_or(false)),
            );
            if let Some(d) = s.int_of("DurationSeconds", 1, 604_800)? {
                st.insert("duration_seconds".into(), json!(d));
            }
            out.insert("stickiness".into(), Json::Object(st));
        }
        return Ok(Json::Object(out));
    }
    let arn = a
        .get("TargetGroupArn")
        .ok_or_else(|| a.error("expected a TargetGroupArn or a ForwardConfig"))?;
    Ok(json!({ "type": "forward", "target_group": cx.target_group(&arn)? }))
}

/// A rule's conditions: the `…Config` forms and the older `Field` + `Values`.
fn conditions(list: &Prop<'_>) -> Result<Json, ImportError> {
    let mut out = Vec::new();
    for c in list.items()? {
        let field = c
            .get("Field")
            .ok_or_else(|| c.error("expected a Field (path-pattern, host-header, …)"))?
            .string()?;
        let strings = |p: Option<Prop<'_>>| -> Result<Vec<String>, ImportError> {
            match p {
                Some(p) => p.items()?.iter().map(Prop::string).collect(),
                None => Ok(Vec::new()),
            }
        };
        let config = |key: &str| c.get(key).and_then(|k| k.get("Values"));
        let mut cond = Map::new();
        cond.insert("field".into(), json!(field));
        match field.as_str() {
            "path-pattern" | "host-header" | "http-request-method" | "source-ip" => {
                let key = match field.as_str() {
                    "path-pattern" => "PathPatternConfig",
                    "host-header" => "HostHeaderConfig",
                    "http-request-method" => "HttpRequestMethodConfig",
                    _ => "SourceIpConfig",
                };
                let mut values = strings(config(key))?;
                if values.is_empty() {
                    values = strings(c.get("Values"))?;
                }
                cond.insert("values".into(), json!(values));
            }
            "http-header" => {
                let h = c
                    .get("HttpHeaderConfig")
                    .ok_or_else(|| c.error("expected an HttpHeaderConfig"))?;
                let name = h
                    .get("HttpHeaderName")
                    .ok_or_else(|| h.error("expected an HttpHeaderName"))?
                    .string()?;
                cond.insert("http_header_name".into(), json!(name));
                cond.insert("values".into(), json!(strings(h.get("Values"))?));
            }
            "query-string" => {
                let q = c
                    .get("QueryStringConfig")
                    .and_then(|q| q.get("Values"))
                    .ok_or_else(|| c.error("expected a QueryStringConfig with Values"))?;
                let mut pairs = Vec::new();
                for kv in q.items()? {
                    let mut pair = Map::new();
                    if let Some(k) = kv.str_of("Key")? {
                        pair.insert("key".into(), json!(k));
                    }
                    let v = kv
                        .get("Value")
                        .ok_or_else(|| kv.error("expected a Value"))?
                        .string()?;
                    pair.insert("value".into(), json!(v));
                    pairs.push(Json::Object(pair));
                }
                cond.insert("values".into(), Json::Array(pairs));
            }
            other => {
                return Err(c.get("Field").unwrap_or(c.clone()).error(format!(
                    "expected path-pattern, host-header, http-header, http-request-method, query-string or source-ip, got {other:?}"
                )));
            }
        }
        out.push(Json::Object(cond));
    }
    Ok(Json::Array(out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{import, minimal, validates};
    use serde_json::json;

    #[test]
    fn redirect_fixed_response_rules_and_weighted_forward() {
        let mut t = minimal();
        t["TG2"] = json!({"Type": super::super::TARGET_GROUP, "Properties": {"Port": 8080,
            "Protocol": "HTTP", "Targets": [{"Id": "!ref:B"}]}});
        t["Web"]["Properties"]["DefaultActions"] = json!([{"Type": "redirect",
            "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]);
        t["Secure"] = json!({"Type": super::super::LISTENER, "Properties": {
            "LoadBalancerArn": "!ref:LB", "Port": 443, "Protocol": "HTTPS",
            "Certificates": [{"CertificateArn": "arn:aws:acm:cert"}],
            "DefaultActions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
                {"TargetGroupArn": "!ref:TG", "Weight": 90}, {"TargetGroupArn": "!ref:TG2", "Weight": 10}],
                "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 300}}}]}});
        t["Health"] = json!({"Type": super::super::LISTENER_RULE, "Properties": {
            "ListenerArn": "!ref:Secure", "Priority": "5",
            "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/healthz"]}},
                           {"Field": "host-header", "Values": ["*.example.com"]}],
            "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200",
                "ContentType": "text/plain", "MessageBody": "ok"}}]}});
        let m = import(t).unwrap();
        validates(&m);
        // (Resources from a JSON map come in key order: Secure, then Web.)
        let l = &m.model["load_balancer"]["listeners"];
        assert_eq!(
            (l[0]["port"].as_i64(), l[1]["port"].as_i64()),
            (Some(443), Some(80))
        );
        let (secure, web) = (&l[0], &l[1]);
        assert_eq!(
            web["default_actions"][0],
            json!({"type": "redirect", "protocol": "HTTPS",
            "port": "443", "status_code": "HTTP_301"})
        );
        assert_eq!(
            secure["default_actions"][0]["target_groups"][1],
            json!({"name": "TG2", "weight": 10})
        );
        assert_eq!(
            secure["default_actions"][0]["stickiness"],
            json!({"enabled": true, "duration_seconds": 300})
        );
        assert_eq!(secure["rules"][0]["priority"], 5);
        assert_eq!(
            secure["rules"][0]["conditions"][1],
            json!({"field": "host-header", "values": ["*.example.com"]})
        );
    }

    #[test]
    fn a_forward_to_a_target_group_outside_the_template_names_the_place() {
        let mut t = minimal();
        t["Web"]["Properties"]["DefaultActions"] = json!([{"Type": "forward",
            "TargetGroupArn": "arn:aws:elasticloadbalancing:tg/x"}]);
        let e = import(t).unwrap_err();
        assert!(
            e.to_string()
                .contains("Resources.Web.DefaultActions[0].TargetGroupArn"),
            "{e}"
        );
    }

    #[test]
    fn load_balancer_attributes_are_mapped_or_noted() {
        let mut t = minimal();
        t["LB"]["Properties"]["LoadBalancerAttributes"] = json!([
            {"Key": "idle_timeout.timeout_seconds", "Value": "3600"},
            {"Key": "deletion_protection.enabled", "Value": "false"}]);
        let m = import(t).unwrap();
        validates(&m);
        assert_eq!(
            m.model["load_balancer"]["attributes"],
            json!({"idle_timeout.timeout_seconds": 3600})
        );
        assert!(
            m.notes.iter().any(
                |n| n.starts_with("Resources.LB:") && n.contains("deletion_protection.enabled")
            )
        );
    }
}
