//! `AWS::ElasticLoadBalancingV2::TargetGroup` → `target_groups[]`: port, protocol, the health
//! check keys (`HealthCheckPath`, `Matcher`, …), `TargetGroupAttributes` and `Targets`.

use super::read::Prop;
use super::{Ctx, INSTANCE, TARGET_GROUP};
use crate::import::cloudformation::ImportError;
use serde_json::{Map, Value as Json, json};

/// The sentence of the AWS documentation that rules out slow start with least outstanding
/// requests (Elastic Load Balancing User Guide, "Target groups for your Application Load
/// Balancers", section "Slow start mode").
pub const SLOW_START_LOR_RULE: &str =
    "\"You cannot enable both slow start mode and least outstanding requests.\"";

/// Where [`SLOW_START_LOR_RULE`] is written.
pub const SLOW_START_LOR_SOURCE: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#slow-start-mode";

/// Health check properties of a target group, by kind (the model uses the same names).
const HEALTH_INTS: &[(&str, i64, i64)] = &[
    ("HealthCheckIntervalSeconds", 5, 300),
    ("HealthCheckTimeoutSeconds", 2, 120),
    ("HealthyThresholdCount", 2, 10),
    ("UnhealthyThresholdCount", 2, 10),
];

/// Integer target group attributes albsim models, with AWS's ranges.
const ATTR_INTS: &[(&str, i64, i64)] = &[
    ("deregistration_delay.timeout_seconds", 0, 3600),
    ("stickiness.lb_cookie.duration_seconds", 1, 604_800),
    ("stickiness.app_cookie.duration_seconds", 1, 604_800),
    ("slow_start.duration_seconds", 0, 900),
    (
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
        1,
        i64::MAX,
    ),
];

/// String target group attributes albsim models.
const ATTR_STRINGS: &[&str] = &[
    "load_balancing.algorithm.type",
    "stickiness.type",
    "stickiness.app_cookie.cookie_name",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
    "target_group_health.dns_failover.minimum_healthy_targets.count",
    "target_group_health.dns_failover.minimum_healthy_targets.percentage",
    "load_balancing.cross_zone.enabled",
    "load_balancing.algorithm.anomaly_mitigation",
];

/// Every target group of the template, in order.
pub fn map_all(cx: &mut Ctx<'_>) -> Result<Vec<Json>, ImportError> {
    let mut out = Vec::new();
    for r in cx.of_type(TARGET_GROUP) {
        let p = cx.props(r);
        let name = cx.tg_names[&r.logical_id].clone();
        let at = format!("target_groups[{}]", out.len());
        let mut tg = Map::new();
        tg.insert("name".into(), json!(name));
        if let Some(t) = p.str_of("TargetType")?
            && t != "instance"
        {
            cx.note(
                &r.logical_id,
                format!("TargetType {t:?}: albsim models instance targets; its targets are imported as instances"),
            );
        }
        let port = match p.int_of("Port", 1, 65_535)? {
            Some(port) => port,
            None => {
                cx.assume(&format!("{at}.port"), "80 (the template gives no Port)");
                80
            }
        };
        tg.insert("port".into(), json!(port));
        let protocol = match p.get("Protocol") {
            Some(pp) => {
                let s = pp.string()?;
                if s != "HTTP" && s != "HTTPS" {
                    return Err(pp.error(format!(
                        "expected HTTP or HTTPS (an Application Load Balancer target group), got {s:?}"
                    )));
                }
                s
            }
            None => {
                cx.assume(
                    &format!("{at}.protocol"),
                    "\"HTTP\" (the template gives no Protocol)",
                );
                "HTTP".into()
            }
        };
        tg.insert("protocol".into(), json!(protocol));
        let attributes = attributes(cx, &p, &r.logical_id, &name)?;
        if !attributes.is_empty() {
            tg.insert("attributes".into(), Json::Object(attributes));
        }
        let hc = health_check(cx, &p, &r.logical_id)?;
        if !hc.is_empty() {
            tg.insert("health_check".into(), Json::Object(hc));
        }
        let targets = targets(cx, &p, port)?;
        if !targets.is_empty() {
            tg.insert("targets".into(), json!(targets));
        }
        out.push(Json::Object(tg));
    }
    Ok(out)
}

/// The health check keys the template sets (the model uses CloudFormation's names).
fn health_check(
    cx: &mut Ctx<'_>,
    p: &Prop<'_>,
    id: &str,
) -> Result<Map<String, Json>, ImportError> {
    let mut hc = Map::new();
    if let Some(b) = p.bool_of("HealthCheckEnabled")? {
        hc.insert("HealthCheckEnabled".into(), json!(b));
    }
    for key in ["HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath"] {
        if let Some(s) = p.str_of(key)? {
            hc.insert(key.into(), json!(s));
        }
    }
    for &(key, lo, hi) in HEALTH_INTS {
        if let Some(v) = p.int_of(key, lo, hi)? {
            hc.insert(key.into(), json!(v));
        }
    }
    if let Some(m) = p.get("Matcher") {
        if let Some(code) = m.str_of("HttpCode")? {
            hc.insert("Matcher".into(), json!({ "HttpCode": code }));
        }
        if m.get("GrpcCode").is_some() {
            cx.note(
                id,
                "Matcher.GrpcCode: albsim does not model gRPC health checks; ignored",
            );
        }
    }
    Ok(hc)
}

/// `TargetGroupAttributes` albsim models; the others are noted. Applies AWS's rule that slow
/// start works with round robin only (see [`SLOW_START_LOR_RULE`]).
fn attributes(
    cx: &mut Ctx<'_>,
    p: &Prop<'_>,
    id: &str,
    name: &str,
) -> Result<Map<String, Json>, ImportError> {
    let mut attrs = Map::new();
    let mut slow_start_at = None;
    if let Some(list) = p.get("TargetGroupAttributes") {
        for item in list.items()? {
            let key = item
                .get("Key")
                .ok_or_else(|| item.error("expected a Key and a Value"))?;
            let key_text = key.string()?;
            let Some(value) = item.get("Value") else {
                continue;
            };
            if let Some(&(_, lo, hi)) = ATTR_INTS.iter().find(|(k, ..)| *k == key_text) {
                let v = value.int(lo, hi)?;
                if key_text == "slow_start.duration_seconds" {
                    if v != 0 && v < 30 {
                        return Err(
                            value.error(format!("expected 0 (off) or 30–900 seconds, got {v}"))
                        );
                    }
                    slow_start_at = Some(v);
                }
                attrs.insert(key_text, json!(v));
            } else if key_text == "stickiness.enabled" {
                attrs.insert(key_text, json!(value.bool()?));
            } else if ATTR_STRINGS.contains(&key_text.as_str()) {
                attrs.insert(key_text, json!(value.string()?));
            } else {
                cx.note(
                    id,
                    format!(
                        "target group attribute {key_text} = {}: albsim does not model it; ignored",
                        value.string().unwrap_or_else(|_| "…".into())
                    ),
                );
            }
        }
    }
    let algorithm = attrs
        .get("load_balancing.algorithm.type")
        .and_then(Json::as_str)
        .unwrap_or("round_robin")
        .to_string();
    if let Some(seconds) = slow_start_at
        && seconds > 0
        && algorithm != "round_robin"
    {
        let rule = if algorithm == "least_outstanding_requests" {
            format!(" AWS documents: {SLOW_START_LOR_RULE} ({SLOW_START_LOR_SOURCE})")
        } else {
            " AWS documents that slow start does not work with weighted_random either.".into()
        };
        cx.note(
            id,
            format!(
                "slow_start.duration_seconds = {seconds} is combined with load_balancing.algorithm.type = {algorithm}, which AWS does not support.{rule} albsim keeps {algorithm} (the routing the template asks for) and imports slow start as off: target_groups \"{name}\" has slow_start.duration_seconds = 0 (AWS's default). Use round_robin if you want slow start."
            ),
        );
        attrs.insert("slow_start.duration_seconds".into(), json!(0));
    }
    let sticky = attrs.get("stickiness.enabled") == Some(&json!(true));
    if sticky && algorithm == "weighted_random" {
        cx.note(
            id,
            format!("stickiness.enabled = true is combined with weighted_random, which AWS does not support; albsim keeps weighted_random and imports sticky sessions as off (target_groups \"{name}\")"),
        );
        attrs.insert("stickiness.enabled".into(), json!(false));
    }
    let mitigation = "load_balancing.algorithm.anomaly_mitigation";
    if attrs.get(mitigation) == Some(&json!("on")) && algorithm != "weighted_random" {
        cx.note(
            id,
            format!("{mitigation} = on is combined with load_balancing.algorithm.type = {algorithm}; AWS supports anomaly mitigation with weighted_random only. albsim keeps {algorithm} and imports anomaly mitigation as off (target_groups \"{name}\")"),
        );
        attrs.insert(mitigation.into(), json!("off"));
    }
    Ok(attrs)
}

/// `Targets`: instances of this template by logical id, others by their id.
fn targets(cx: &mut Ctx<'_>, p: &Prop<'_>, port: i64) -> Result<Vec<String>, ImportError> {
    let mut out = Vec::new();
    let Some(list) = p.get("Targets") else {
        return Ok(out);
    };
    let instances = cx.ids(INSTANCE);
    for item in list.items()? {
        let idp = item
            .get("Id")
            .ok_or_else(|| item.error("expected an Id (the instance)"))?;
        let id = match idp.reference(&[]) {
            Some(id) if instances.contains(&id.as_str()) => id,
            Some(id) => {
                return Err(idp.error(format!(
                    "expected an EC2 instance (an instance id or !Ref of an AWS::EC2::Instance), got a reference to {id}"
                )));
            }
            None => {
                let s = idp.string()?;
                if s.is_empty() {
                    return Err(idp.error("expected an instance id, got an empty string"));
                }
                if !cx.external_instances.contains(&s) {
                    cx.external_instances.push(s.clone());
                }
                s
            }
        };
        if let Some(own) = item.int_of("Port", 1, 65_535)?
            && own != port
        {
            cx.note(
                p.id,
                format!("{}.Port = {own}: albsim sends to the target group's port ({port}); the target's own port is ignored", item.path),
            );
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{import, minimal, validates};
    use serde_json::json;

    fn with_attributes(attrs: serde_json::Value) -> serde_json::Value {
        let mut t = minimal();
        t["TG"]["Properties"]["TargetGroupAttributes"] = attrs;
        t
    }

    #[test]
    fn slow_start_with_least_outstanding_requests_is_turned_off_with_a_note() {
        let m = import(with_attributes(json!([
            {"Key": "slow_start.duration_seconds", "Value": "60"},
            {"Key": "load_balancing.algorithm.type", "Value": "least_outstanding_requests"}
        ])))
        .unwrap();
        validates(&m);
        let a = &m.model["target_groups"][0]["attributes"];
        assert_eq!(a["slow_start.duration_seconds"], 0);
        assert_eq!(
            a["load_balancing.algorithm.type"],
            "least_outstanding_requests"
        );
        let note = m.notes.iter().find(|n| n.contains("slow_start")).unwrap();
        assert!(note.starts_with("Resources.TG:"), "{note}");
        assert!(
            note.contains("You cannot enable both slow start mode and least outstanding requests."),
            "{note}"
        );
    }

    #[test]
    fn slow_start_with_round_robin_is_kept() {
        let m = import(with_attributes(json!([
            {"Key": "slow_start.duration_seconds", "Value": 60}
        ])))
        .unwrap();
        validates(&m);
        assert_eq!(
            m.model["target_groups"][0]["attributes"]["slow_start.duration_seconds"],
            60
        );
        assert!(m.notes.is_empty(), "{:?}", m.notes);
    }

    #[test]
    fn health_checks_stickiness_and_unknown_attributes() {
        let mut t = with_attributes(json!([
            {"Key": "stickiness.enabled", "Value": "true"},
            {"Key": "stickiness.type", "Value": "app_cookie"},
            {"Key": "stickiness.app_cookie.cookie_name", "Value": "SESSION"},
            {"Key": "deregistration_delay.timeout_seconds", "Value": "300"},
            {"Key": "load_balancing.cross_zone.enabled", "Value": "false"},
            {"Key": "lambda.multi_value_headers.enabled", "Value": "true"}
        ]));
        t["TG"]["Properties"]["HealthCheckPath"] = json!("/index.html");
        t["TG"]["Properties"]["HealthCheckIntervalSeconds"] = json!("10");
        t["TG"]["Properties"]["Matcher"] = json!({"HttpCode": "200"});
        let m = import(t).unwrap();
        validates(&m);
        let tg = &m.model["target_groups"][0];
        assert_eq!(
            tg["health_check"],
            json!({"HealthCheckPath": "/index.html",
            "HealthCheckIntervalSeconds": 10, "Matcher": {"HttpCode": "200"}})
        );
        assert_eq!(tg["attributes"]["stickiness.enabled"], true);
        assert_eq!(
            tg["attributes"]["deregistration_delay.timeout_seconds"],
            300
        );
        assert_eq!(
            tg["attributes"]["load_balancing.cross_zone.enabled"], "false",
            "imported: albsim models cross-zone load balancing"
        );
        assert!(
            m.notes
                .iter()
                .any(|n| n.contains("lambda.multi_value_headers.enabled") && n.contains("ignored"))
        );
    }

    #[test]
    fn anomaly_mitigation_is_imported_with_weighted_random_and_off_with_a_note_otherwise() {
        let key = "load_balancing.algorithm.anomaly_mitigation";
        let m = import(with_attributes(json!([
            {"Key": "load_balancing.algorithm.type", "Value": "weighted_random"},
            {"Key": key, "Value": "on"}
        ])))
        .unwrap();
        validates(&m);
        assert_eq!(m.model["target_groups"][0]["attributes"][key], "on");
        assert!(m.notes.is_empty(), "{:?}", m.notes);
        let m = import(with_attributes(json!([{"Key": key, "Value": "on"}]))).unwrap();
        validates(&m);
        assert_eq!(m.model["target_groups"][0]["attributes"][key], "off");
        assert!(
            m.notes
                .iter()
                .any(|n| n.contains(key) && n.contains("weighted_random only")),
            "{:?}",
            m.notes
        );
    }

    #[test]
    fn an_attribute_out_of_range_names_the_resource() {
        let e = import(with_attributes(json!([
            {"Key": "deregistration_delay.timeout_seconds", "Value": "5000"}
        ])))
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("Resources.TG.TargetGroupAttributes[0].Value"),
            "{e}"
        );
        assert!(e.message.contains("0 to 3600"), "{e}");
    }

    #[test]
    fn targets_named_by_id_become_assumed_instances() {
        let mut t = minimal();
        t["TG"]["Properties"]["Targets"] = json!([{"Id": "i-0abc"}, {"Id": "!ref:A"}]);
        let m = import(t).unwrap();
        validates(&m);
        assert_eq!(
            m.model["target_groups"][0]["targets"],
            json!(["i-0abc", "A"])
        );
        assert!(
            m.model["instances"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["id"] == "i-0abc")
        );
        assert!(
            m.assumed.iter().any(|a| a.contains("i-0abc")),
            "{:?}",
            m.assumed
        );
    }
}
