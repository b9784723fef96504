//! `AWS::SQS::Queue` → `queues[]`; `AWS::SNS::Topic` (with its inline `Subscription`s) and
//! `AWS::SNS::Subscription` → `topics[]`.

use super::read::Prop;
use super::{Ctx, QUEUE, Resolved, SUBSCRIPTION, TOPIC};
use crate::import::cloudformation::{ImportError, Node, Value};
use serde_json::{Map, Value as Json, json};

/// Integer queue properties albsim models, with AWS's ranges.
const QUEUE_INTS: &[(&str, i64, i64)] = &[
    ("VisibilityTimeout", 0, 43_200),
    ("ReceiveMessageWaitTimeSeconds", 0, 20),
    ("MessageRetentionPeriod", 60, 1_209_600),
    ("DelaySeconds", 0, 900),
    ("MaximumMessageSize", 1024, 1_048_576),
];

/// The name of queue `r` in the model: `QueueName`, or its logical id (`.fifo` added for a FIFO
/// queue, as CloudFormation names it).
pub fn queue_name(cx: &Ctx<'_>, r: &Resolved) -> Result<String, ImportError> {
    let p = cx.props(r);
    if let Some(n) = p.str_of("QueueName")? {
        return Ok(n);
    }
    let fifo = p.bool_of("FifoQueue")?.unwrap_or(false);
    Ok(if fifo {
        format!("{}.fifo", r.logical_id)
    } else {
        r.logical_id.clone()
    })
}

/// The name of topic `r` in the model: `TopicName`, or its logical id.
pub fn topic_name(cx: &Ctx<'_>, r: &Resolved) -> Result<String, ImportError> {
    let p = cx.props(r);
    if let Some(n) = p.str_of("TopicName")? {
        return Ok(n);
    }
    let fifo = p.bool_of("FifoTopic")?.unwrap_or(false);
    Ok(if fifo {
        format!("{}.fifo", r.logical_id)
    } else {
        r.logical_id.clone()
    })
}

/// The queue `p` refers to (`!GetAtt Q.Arn`, `!Ref Q`, `!GetAtt Q.QueueName`), by model name.
pub fn queue_ref(cx: &Ctx<'_>, p: &Prop<'_>) -> Result<String, ImportError> {
    let ids = cx.ids(QUEUE);
    match p.reference(&ids).and_then(|id| cx.find(&id)) {
        Some(q) if q.type_name == QUEUE => queue_name(cx, q),
        _ => p.string(),
    }
}

/// Every queue, in the template's order.
pub fn queues(cx: &mut Ctx<'_>) -> Result<Vec<Json>, ImportError> {
    let mut out = Vec::new();
    for r in cx.of_type(QUEUE).collect::<Vec<_>>() {
        let p = cx.props(r);
        let mut q = Map::new();
        q.insert("QueueName".into(), json!(queue_name(cx, r)?));
        for key in ["FifoQueue", "ContentBasedDeduplication"] {
            if let Some(b) = p.bool_of(key)? {
                q.insert(key.into(), json!(b));
            }
        }
        for &(key, lo, hi) in QUEUE_INTS {
            if let Some(v) = p.int_of(key, lo, hi)? {
                q.insert(key.into(), json!(v));
            }
        }
        if let Some(rp) = p.get("RedrivePolicy") {
            let target = rp
                .get("deadLetterTargetArn")
                .ok_or_else(|| rp.error("expected a deadLetterTargetArn"))?;
            let count = rp
                .get("maxReceiveCount")
                .ok_or_else(|| rp.error("expected a maxReceiveCount"))?
                .int(1, 1000)?;
            q.insert(
                "RedrivePolicy".into(),
                json!({ "deadLetterTargetArn": queue_ref(cx, &target)?, "maxReceiveCount": count }),
            );
        }
        out.push(Json::Object(q));
    }
    Ok(out)
}

/// Every topic with its subscriptions (inline ones first, then `AWS::SNS::Subscription`s).
pub fn topics(cx: &mut Ctx<'_>) -> Result<Vec<Json>, ImportError> {
    let mut out = Vec::new();
    let topic_ids = cx.ids(TOPIC);
    for r in cx.of_type(TOPIC).collect::<Vec<_>>() {
        let p = cx.props(r);
        let mut t = Map::new();
        t.insert("TopicName".into(), json!(topic_name(cx, r)?));
        if let Some(b) = p.bool_of("FifoTopic")? {
            t.insert("FifoTopic".into(), json!(b));
        }
        let mut subs = Vec::new();
        if let Some(list) = p.get("Subscription") {
            for s in list.items()? {
                subs.push(subscription(cx, &s)?);
            }
        }
        for s in cx.of_type(SUBSCRIPTION).collect::<Vec<_>>() {
            let sp = cx.props(s);
            let owner = sp.get("TopicArn").and_then(|a| a.reference(&topic_ids));
            if owner.as_deref() == Some(r.logical_id.as_str()) {
                subs.push(subscription(cx, &sp)?);
            }
        }
        if !subs.is_empty() {
            t.insert("Subscriptions".into(), Json::Array(subs));
        }
        out.push(Json::Object(t));
    }
    for s in cx.of_type(SUBSCRIPTION).collect::<Vec<_>>() {
        let owner = cx
            .props(s)
            .get("TopicArn")
            .and_then(|a| a.reference(&topic_ids));
        if owner.is_none() {
            cx.ignored.push((s.logical_id.clone(), s.type_name.clone()));
            cx.note(
                &s.logical_id,
                "its TopicArn is not a topic of this template; not imported",
            );
        }
    }
    Ok(out)
}

/// One subscription: protocol, endpoint (a queue of the template by name), raw delivery,
/// filter policy.
fn subscription(cx: &Ctx<'_>, p: &Prop<'_>) -> Result<Json, ImportError> {
    let protocol = p
        .get("Protocol")
        .ok_or_else(|| p.error("expected a Protocol"))?
        .string()?;
    let endpoint = p
        .get("Endpoint")
        .ok_or_else(|| p.error("expected an Endpoint"))?;
    let endpoint = if protocol == "sqs" {
        queue_ref(cx, &endpoint)?
    } else {
        endpoint.string()?
    };
    let mut s = Map::new();
    s.insert("Protocol".into(), json!(protocol));
    s.insert("Endpoint".into(), json!(endpoint));
    if let Some(b) = p.bool_of("RawMessageDelivery")? {
        s.insert("RawMessageDelivery".into(), json!(b));
    }
    if let Some(f) = p.get("FilterPolicy") {
        s.insert("FilterPolicy".into(), to_json(&f)?);
    }
    if let Some(scope) = p.str_of("FilterPolicyScope")? {
        s.insert("FilterPolicyScope".into(), json!(scope));
    }
    Ok(Json::Object(s))
}

/// A resolved value as plain JSON (a filter policy); a string that is JSON text is parsed.
fn to_json(p: &Prop<'_>) -> Result<Json, ImportError> {
    fn go(n: &Node) -> Option<Json> {
        Some(match &n.value {
            Value::Null => Json::Null,
            Value::Bool(b) => json!(b),
            Value::Number(x) => Json::Number(x.clone()),
            Value::String(s) => json!(s),
            Value::List(items) => Json::Array(items.iter().map(go).collect::<Option<_>>()?),
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| go(v).map(|v| (k.clone(), v)))
                    .collect::<Option<_>>()?,
            ),
            Value::ResourceRef(_) | Value::ResourceAttr(..) => return None,
        })
    }
    let v = go(p.node)
        .ok_or_else(|| p.error("expected a filter policy without references to resources"))?;
    match &v {
        Json::String(s) => serde_json::from_str(s)
            .map_err(|e| p.error(format!("expected a filter policy (JSON), got {s:?}: {e}"))),
        _ => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{import, minimal, validates};
    use super::super::{QUEUE, SUBSCRIPTION, TOPIC};
    use serde_json::json;

    #[test]
    fn queues_with_a_dead_letter_queue_and_a_topic_subscribed_to_them() {
        let mut t = minimal();
        t["Orders"] = json!({"Type": QUEUE, "Properties": {"VisibilityTimeout": "60",
            "RedrivePolicy": {"deadLetterTargetArn": "!ref:OrdersDlq.Arn", "maxReceiveCount": 5}}});
        t["OrdersDlq"] = json!({"Type": QUEUE, "Properties": {"QueueName": "orders-dlq"}});
        t["Alerts"] = json!({"Type": TOPIC, "Properties": {}});
        t["ToOrders"] = json!({"Type": SUBSCRIPTION, "Properties": {"TopicArn": "!ref:Alerts",
            "Protocol": "sqs", "Endpoint": "!ref:Orders.Arn", "RawMessageDelivery": "true"}});
        let m = import(t).unwrap();
        validates(&m);
        assert_eq!(
            m.model["queues"][0],
            json!({"QueueName": "Orders", "VisibilityTimeout": 60,
            "RedrivePolicy": {"deadLetterTargetArn": "orders-dlq", "maxReceiveCount": 5}})
        );
        assert_eq!(
            m.model["topics"][0]["Subscriptions"][0],
            json!({"Protocol": "sqs", "Endpoint": "Orders", "RawMessageDelivery": true})
        );
    }
}
