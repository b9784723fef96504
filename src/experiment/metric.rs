//! Metric paths into `summary.json`: `latency_ms.p99`, `requests.by_status.502`,
//! `target_groups.web.latency_ms.p99`, `auto_scaling_groups[name=web-asg].instance_hours`,
//! `auto_scaling_groups[0].scale_out_activities`, `instances[id=web-1].cpu_utilization`,
//! `queues.orders.message_latency_ms.p99`, `topics.order-events.subscriptions[endpoint=orders].delivered`,
//! `cost.total`, `cost.sqs`.
//!
//! The syntax is the override paths' ([`OverridePath`]): keys joined by `.` (quoted when they
//! hold a `.`), `[k]` for the k-th item of a list, `[name=…]` / `[id=…]` for the item of that
//! name. [`SummaryPath::check`] holds a path against the numbers `summary.json` has
//! ([`SCHEMA`]) and the names in the model (target groups, instances, Auto Scaling groups,
//! queues, topics and their subscriptions, worker programs);
//! [`SummaryPath::read`] takes the number from a run's summary.

use crate::model::client::Load;
use crate::report::summary::SCHEMA;
use crate::report::summary_schema::{ListItems, MapKeys, Node, Presence};
use crate::scenario::Scenario;
use crate::scenario::overrides::{OverridePath, Step};
use serde_json::Value;

/// A path to one number of a run's `summary.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryPath {
    path: OverridePath,
}

impl SummaryPath {
    /// Reads a path as error messages print them: `latency_ms.p99`, `requests.by_status.502`,
    /// `auto_scaling_groups[name=web-asg].instance_hours`.
    pub fn parse(text: &str) -> Result<SummaryPath, String> {
        Ok(SummaryPath {
            path: OverridePath::parse(text)?,
        })
    }

    /// Checks the path against the schema of `summary.json` and the names in the scenario `sc`
    /// (target groups, instances, Auto Scaling groups); the error names the first segment not
    /// known and says what is known there, or, for a path to an object, which numbers are in it.
    pub fn check(&self, sc: &Scenario) -> Result<(), String> {
        let mut node: &Node = &SCHEMA;
        let mut shown = String::new();
        // The topic named on the way (`topics.<name>`), whose subscriptions a pick selects from.
        let mut topic: Option<&str> = None;
        for step in self.path.steps() {
            let here = with_step(&shown, step);
            node = match (node, step) {
                (Node::Object(fields), Step::Key(key)) => {
                    let Some(field) = fields.iter().find(|f| f.name == key.as_str()) else {
                        // Only the fields this model's summary.json can have.
                        let known: Vec<&str> = (fields.iter())
                            .filter(|f| present(f.presence, sc, "").is_ok())
                            .map(|f| f.name)
                            .collect();
                        return Err(format!(
                            "{here}: no field '{key}' in {}; known: {}",
                            container(&shown),
                            known.join(", ")
                        ));
                    };
                    present(field.presence, sc, &here)?;
                    &field.node
                }
                (Node::Object(fields), _) => {
                    let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
                    return Err(format!(
                        "{here}: {} is an object, not a list; pick a field: {}",
                        container(&shown),
                        known.join(", ")
                    ));
                }
                (Node::Map { keys, value }, Step::Key(key)) => {
                    map_key(*keys, key, sc, &here)?;
                    if *keys == MapKeys::Topics {
                        topic = Some(key.as_str());
                    }
                    value
                }
                (Node::Map { keys, .. }, _) => {
                    return Err(format!(
                        "{here}: {shown} is keyed by {}, not a list: write {shown}.{}",
                        map_keys_name(*keys),
                        map_key_example(*keys, sc)
                    ));
                }
                (Node::List { items, item }, Step::Index(k)) => {
                    list_index(*items, *k, sc, topic, &here)?;
                    item
                }
                (Node::List { items, item }, Step::Select { key, value }) => {
                    list_select(*items, key, value, sc, topic, &here)?;
                    item
                }
                (Node::List { items, .. }, Step::Key(_)) => {
                    return Err(format!(
                        "{here}: {shown} is a list of {}; pick one first: {}",
                        list_items_name(*items),
                        list_pick_examples(*items, &shown, sc, topic)
                    ));
                }
                (Node::Number, _) => {
                    return Err(format!(
                        "{here}: {shown} is a number; there is nothing inside it"
                    ));
                }
            };
            shown = here;
        }
        match node {
            Node::Number => Ok(()),
            Node::Object(_) => Err(format!(
                "{shown}: an object, not a number; the numbers in it: {}",
                node.numbers_inside().join(", ")
            )),
            Node::Map { keys, value } => Err(format!(
                "{shown}: a map keyed by {}, not a number; pick one ({shown}.{}){}",
                map_keys_name(*keys),
                map_key_example(*keys, sc),
                numbers_in(value)
            )),
            Node::List { items, item } => Err(format!(
                "{shown}: a list of {}, not a number; pick one ({}){}",
                list_items_name(*items),
                list_pick_examples(*items, &shown, sc, topic),
                numbers_in(item)
            )),
        }
    }

    /// The metric's value in a run's summary (`None`: null there, as `latency_ms` of a run
    /// without responses, or not there at all, as an instance that never launched). A status
    /// code absent from `requests.by_status` reads 0: it counts responses, and none had it.
    pub fn read(&self, summary: &Value) -> Option<f64> {
        let mut node: Option<&Node> = Some(&SCHEMA);
        let mut value = summary;
        let steps = self.path.steps();
        for (k, step) in steps.iter().enumerate() {
            let next = match step {
                Step::Key(key) => value.get(key.as_str()),
                Step::Index(i) => value.as_array().and_then(|items| items.get(*i)),
                Step::Select { key, value: wanted } => value
                    .as_array()
                    .and_then(|items| items.iter().find(|x| names(x.get(key.as_str()), wanted))),
            };
            let counts = matches!(
                node,
                Some(Node::Map {
                    keys: MapKeys::StatusCodes,
                    ..
                })
            );
            node = node.and_then(|n| child(n, step));
            match next {
                Some(v) => value = v,
                None if counts && k + 1 == steps.len() && value.is_object() => return Some(0.0),
                None => return None,
            }
        }
        value.as_f64()
    }
}

impl std::fmt::Display for SummaryPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.path.fmt(f)
    }
}

/// The schema node one step below `node`, if the step fits it.
fn child(node: &Node, step: &Step) -> Option<&'static Node> {
    match (node, step) {
        (Node::Object(_), Step::Key(key)) => node.field(key).map(|f| &f.node),
        (Node::Map { value, .. }, Step::Key(_)) => Some(value),
        (Node::List { item, .. }, Step::Index(_) | Step::Select { .. }) => Some(item),
        _ => None,
    }
}

/// Whether the JSON value `name` (a string, or a number) is written `wanted` in a path.
fn names(name: Option<&Value>, wanted: &str) -> bool {
    match name {
        Some(Value::String(s)) => s == wanted,
        Some(Value::Number(n)) => n.as_f64().is_some() && n.as_f64() == wanted.parse().ok(),
        _ => false,
    }
}

/// `path` followed by `step`, as error messages print paths.
fn with_step(path: &str, step: &Step) -> String {
    let mut s = path.to_string();
    match step {
        Step::Key(k) => {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(&quoted_if_needed(k));
        }
        Step::Index(i) => s.push_str(&format!("[{i}]")),
        Step::Select { key, value } => {
            s.push_str(&format!(
                "[{}={}]",
                quoted_if_needed(key),
                quoted_if_needed(value)
            ));
        }
    }
    s
}

/// `text`, quoted if it would not read back as one key or value.
fn quoted_if_needed(text: &str) -> String {
    if text.is_empty() || text.contains(['.', '[', ']', '=', '"', ' ']) {
        format!("\"{text}\"")
    } else {
        text.to_string()
    }
}

/// How messages name the object at `path`.
fn container(path: &str) -> &str {
    if path.is_empty() {
        "summary.json"
    } else {
        path
    }
}

/// Whether `summary.json` of the model `sc` can have a field present as `presence`.
fn present(presence: Presence, sc: &Scenario, here: &str) -> Result<(), String> {
    match presence {
        Presence::WithWebsocketClients
            if !sc
                .clients
                .iter()
                .any(|c| matches!(c.load, Load::Websocket(_))) =>
        {
            Err(format!(
                "{here}: the model has no WebSocket clients (summary.json has {here} only with them)"
            ))
        }
        Presence::WithAutoScalingGroups if sc.auto_scaling_groups.is_empty() => Err(format!(
            "{here}: the model has no Auto Scaling groups (summary.json has {here} only with them)"
        )),
        Presence::WithQueues if sc.messaging.queues.is_empty() => Err(format!(
            "{here}: the model has no SQS queues (summary.json has {here} only with them)"
        )),
        Presence::WithTopics if sc.messaging.topics.is_empty() => Err(format!(
            "{here}: the model has no SNS topics (summary.json has {here} only with them)"
        )),
        Presence::WithConsumers if sc.messaging.consumers.is_empty() => Err(format!(
            "{here}: the model has no worker programs (summary.json has {here} only with them)"
        )),
        Presence::WithRetryingClients if !sc.clients.iter().any(|c| c.counts_attempts) => {
            Err(format!(
                "{here}: no client of the model retries or has a request timeout (summary.json has {here} only with them)"
            ))
        }
        _ => Ok(()),
    }
}

/// Checks a key of a map: a status code, or a target group, queue, topic or worker program of
/// the model.
fn map_key(keys: MapKeys, key: &str, sc: &Scenario, here: &str) -> Result<(), String> {
    match keys {
        MapKeys::StatusCodes => {
            let code = key.parse::<u16>().ok().filter(|c| (100..=599).contains(c));
            match code {
                Some(_) if key.len() == 3 => Ok(()),
                _ => Err(format!(
                    "{here}: expected an HTTP status code from 100 to 599 (requests.by_status.502), got '{key}'"
                )),
            }
        }
        MapKeys::TargetGroups
        | MapKeys::Queues
        | MapKeys::Topics
        | MapKeys::Consumers
        | MapKeys::Clients => {
            let known = map_names(keys, sc);
            if known.contains(&key) {
                Ok(())
            } else {
                Err(format!(
                    "{here}: no {} '{key}' in the model; known: {}",
                    map_key_what(keys),
                    listed(&known)
                ))
            }
        }
    }
}

/// The model's names a map is keyed by (none for status codes).
fn map_names(keys: MapKeys, sc: &Scenario) -> Vec<&str> {
    let m = &sc.messaging;
    match keys {
        MapKeys::StatusCodes => Vec::new(),
        MapKeys::TargetGroups => sc.target_groups.iter().map(|g| g.name.as_str()).collect(),
        MapKeys::Queues => m.queues.iter().map(|q| q.name.as_str()).collect(),
        MapKeys::Topics => m.topics.iter().map(|t| t.name.as_str()).collect(),
        MapKeys::Consumers => m.consumers.iter().map(|c| c.name.as_str()).collect(),
        MapKeys::Clients => (sc.clients.iter())
            .filter(|c| c.counts_attempts)
            .map(|c| c.name.as_str())
            .collect(),
    }
}

/// What one key of a map names, in a user's words.
fn map_key_what(keys: MapKeys) -> &'static str {
    match keys {
        MapKeys::StatusCodes => "HTTP status code",
        MapKeys::TargetGroups => "target group",
        MapKeys::Queues => "queue",
        MapKeys::Topics => "topic",
        MapKeys::Consumers => "worker program",
        MapKeys::Clients => "retrying client",
    }
}

/// The endpoints of the subscriptions of `topic` (of every topic when it is not known).
fn subscription_endpoints<'a>(sc: &'a Scenario, topic: Option<&str>) -> Vec<&'a str> {
    (sc.messaging.topics.iter())
        .filter(|t| topic.is_none_or(|name| t.name == name))
        .flat_map(|t| t.subscriptions.iter().map(|s| s.endpoint_name.as_str()))
        .collect()
}

/// `topic <name>` for messages about a topic's subscriptions, or `the model` when unknown.
fn subscriptions_owner(topic: Option<&str>) -> String {
    topic.map_or("the model".to_string(), |t| format!("topic {t}"))
}

/// Checks a position in a list: within the model's groups or the topic's subscriptions; for
/// instances, within the model's own unless Auto Scaling groups launch more.
fn list_index(
    items: ListItems,
    k: usize,
    sc: &Scenario,
    topic: Option<&str>,
    here: &str,
) -> Result<(), String> {
    let (count, what) = match items {
        ListItems::Instances if !sc.auto_scaling_groups.is_empty() => return Ok(()),
        ListItems::Instances => (sc.instances.len(), "instance"),
        ListItems::AutoScalingGroups => (sc.auto_scaling_groups.len(), "Auto Scaling group"),
        ListItems::Subscriptions => {
            let count = subscription_endpoints(sc, topic).len();
            if k < count {
                return Ok(());
            }
            let plural = if count == 1 { "" } else { "s" };
            return Err(format!(
                "{here}: no subscription at index {k}; {} has {count} subscription{plural}",
                subscriptions_owner(topic)
            ));
        }
    };
    if k < count {
        return Ok(());
    }
    let indexes = match count {
        0 => String::new(),
        1 => " (index 0)".to_string(),
        n => format!(" (indexes 0–{})", n - 1),
    };
    let plural = if count == 1 { "" } else { "s" };
    Err(format!(
        "{here}: no {what} at index {k}; the model has {count} {what}{plural}{indexes}"
    ))
}

/// Checks a `[key=value]` pick in a list: the key is the items' name field, the value a name the
/// model has (an instance of the model, or one an Auto Scaling group launches: `<group>-0001`).
fn list_select(
    items: ListItems,
    key: &str,
    value: &str,
    sc: &Scenario,
    topic: Option<&str>,
    here: &str,
) -> Result<(), String> {
    let field = items.name_field();
    if key != field {
        return Err(format!(
            "{here}: {} are picked by {field} ([{field}=…]) or by position ([0]), not by {key}",
            list_items_name(items)
        ));
    }
    match items {
        ListItems::Instances => {
            let known: Vec<&str> = sc.instances.iter().map(|i| i.id.as_str()).collect();
            if known.contains(&value) || launched_by_a_group(value, sc) {
                return Ok(());
            }
            let launched = match sc.auto_scaling_groups.first() {
                Some(g) => format!(
                    ", and those Auto Scaling groups launch ({}-0001, …)",
                    g.name
                ),
                None => String::new(),
            };
            Err(format!(
                "{here}: no instance '{value}' in the model; known: {}{launched}",
                listed(&known)
            ))
        }
        ListItems::AutoScalingGroups => {
            let known: Vec<&str> = (sc.auto_scaling_groups.iter())
                .map(|g| g.name.as_str())
                .collect();
            if known.contains(&value) {
                Ok(())
            } else {
                Err(format!(
                    "{here}: no Auto Scaling group '{value}' in the model; known: {}",
                    listed(&known)
                ))
            }
        }
        ListItems::Subscriptions => {
            let known = subscription_endpoints(sc, topic);
            if known.contains(&value) {
                Ok(())
            } else {
                Err(format!(
                    "{here}: no subscription to '{value}' in {}; known endpoints: {}",
                    subscriptions_owner(topic),
                    listed(&known)
                ))
            }
        }
    }
}

/// Whether `id` names an instance an Auto Scaling group of `sc` launches: `<group>-<n>`, `n`
/// from 1 written with at least 4 digits (`web-asg-0001`).
fn launched_by_a_group(id: &str, sc: &Scenario) -> bool {
    sc.auto_scaling_groups.iter().any(|g| {
        id.strip_prefix(g.name.as_str())
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| {
                n.len() >= 4
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && !n.trim_start_matches('0').is_empty()
            })
    })
}

/// Names for a message: `a, b, c`, or `(none)`.
fn listed(names: &[&str]) -> String {
    if names.is_empty() {
        "(none)".to_string()
    } else {
        names.join(", ")
    }
}

/// What a map's keys are, in a user's words.
fn map_keys_name(keys: MapKeys) -> &'static str {
    match keys {
        MapKeys::StatusCodes => "HTTP status code",
        MapKeys::TargetGroups => "target group name",
        MapKeys::Queues => "queue name",
        MapKeys::Topics => "topic name",
        MapKeys::Consumers => "worker program name",
        MapKeys::Clients => "client name",
    }
}

/// A key to show in an example: a status code, or the model's first name of that kind.
fn map_key_example(keys: MapKeys, sc: &Scenario) -> String {
    let fallback = match keys {
        MapKeys::StatusCodes => return "502".to_string(),
        MapKeys::TargetGroups => "web",
        MapKeys::Queues => "orders",
        MapKeys::Topics => "order-events",
        MapKeys::Consumers => "order-worker",
        MapKeys::Clients => "shoppers",
    };
    (map_names(keys, sc).first()).map_or(fallback.to_string(), |name| quoted_if_needed(name))
}

/// What a list holds, in a user's words.
fn list_items_name(items: ListItems) -> &'static str {
    match items {
        ListItems::Instances => "instances",
        ListItems::AutoScalingGroups => "Auto Scaling groups",
        ListItems::Subscriptions => "subscriptions",
    }
}

/// How to pick an item of the list at `path`: by the model's first name, or by position.
fn list_pick_examples(items: ListItems, path: &str, sc: &Scenario, topic: Option<&str>) -> String {
    let first = match items {
        ListItems::Instances => sc.instances.first().map(|i| i.id.clone()).or_else(|| {
            sc.auto_scaling_groups
                .first()
                .map(|g| format!("{}-0001", g.name))
        }),
        ListItems::AutoScalingGroups => sc.auto_scaling_groups.first().map(|g| g.name.clone()),
        ListItems::Subscriptions => {
            (subscription_endpoints(sc, topic).first()).map(|e| e.to_string())
        }
    };
    let field = items.name_field();
    match first {
        Some(name) => format!("{path}[{field}={}] or {path}[0]", quoted_if_needed(&name)),
        None => format!("{path}[{field}=…] or {path}[0]"),
    }
}

/// `; the numbers in each: …` for the items of a map or list (nothing when each is a number).
fn numbers_in(item: &Node) -> String {
    match item {
        Node::Number => String::new(),
        _ => format!(
            "; the numbers in each: {}",
            item.numbers_inside().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests;
