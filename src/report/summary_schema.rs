//! The numbers of `summary.json` as a tree ([`SCHEMA`]): which fields hold numbers, which maps
//! are keyed by target-group, queue, topic or worker-program name or by status code, which lists
//! hold one item per instance, Auto Scaling group or topic subscription. Metric paths of experiments (`experiment::metric`) are checked against it;
//! a test renders real summaries and walks both ways, so it cannot drift from
//! [`super::summary`].
//!
//! Text fields (`model`, `name`, `instance_type`, …) are not in it: a metric is a number.

/// One node of the tree: what is at a path of `summary.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// A number, or null (no value, e.g. `latency_ms` of a run without responses).
    Number,
    /// An object with these fields, in the file's order.
    Object(&'static [Field]),
    /// An object keyed by names the model decides (`target_groups.web`, `by_status.502`,
    /// `queues.orders`).
    Map {
        /// What its keys are.
        keys: MapKeys,
        /// What each key holds.
        value: &'static Node,
    },
    /// A list: one item per instance, Auto Scaling group or subscription, picked by position
    /// (`[0]`) or by its name field (`[name=web-asg]`, `[id=web-1]`, `[endpoint=orders]`).
    List {
        /// What its items are.
        items: ListItems,
        /// What each item holds.
        item: &'static Node,
    },
}

/// A field of an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Its key in `summary.json`.
    pub name: &'static str,
    /// What it holds.
    pub node: Node,
    /// When `summary.json` has it at all.
    pub presence: Presence,
}

/// When a field is in `summary.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Always (perhaps null).
    Always,
    /// Only when the model has WebSocket clients (and one opened a connection).
    WithWebsocketClients,
    /// Only when the model has Auto Scaling groups.
    WithAutoScalingGroups,
    /// Only when the requests carried sticky cookies for the group.
    WithStickyCookies,
    /// Only when the model has SQS queues.
    WithQueues,
    /// Only when the model has SNS topics.
    WithTopics,
    /// Only when the model has worker programs (SQS consumers).
    WithConsumers,
    /// Only when a client retries or one of its request types has a `timeout`.
    WithRetryingClients,
    /// Only when a guard (`--max-events`, `--max-wall`) stopped the run.
    WhenStopped,
}

/// What the keys of a [`Node::Map`] are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapKeys {
    /// HTTP status codes (`"200"`, `"502"`): responses counted by code; a code that never
    /// occurred is left out, and reads as 0.
    StatusCodes,
    /// The model's target group names.
    TargetGroups,
    /// The model's SQS queue names (`QueueName`).
    Queues,
    /// The model's SNS topic names (`TopicName`).
    Topics,
    /// The model's worker program names.
    Consumers,
    /// The names of the model's clients that retry or time out.
    Clients,
}

/// What the items of a [`Node::List`] are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListItems {
    /// EC2 instances, picked by `id`: the model's, then those Auto Scaling launched
    /// (`<group>-0001`, …) in launch order.
    Instances,
    /// Auto Scaling groups in model order, picked by `name`.
    AutoScalingGroups,
    /// A topic's subscriptions in the topic's order, picked by `endpoint` (the queue name for
    /// `sqs`).
    Subscriptions,
}

impl ListItems {
    /// The field that names an item (`[id=web-1]`, `[name=web-asg]`, `[endpoint=orders]`).
    pub fn name_field(self) -> &'static str {
        match self {
            ListItems::Instances => "id",
            ListItems::AutoScalingGroups => "name",
            ListItems::Subscriptions => "endpoint",
        }
    }
}

impl Node {
    /// The field `name` of an object node.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        match self {
            Node::Object(fields) => fields.iter().find(|f| f.name == name),
            _ => None,
        }
    }

    /// The paths of every number inside, relative to this node, in the file's order: `mean`,
    /// `latency_ms.p99`; `<code>`, `<name>.requests`, `[…].cpu_utilization` for maps and lists.
    pub fn numbers_inside(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_numbers("", &mut out);
        out
    }

    fn collect_numbers(&self, prefix: &str, out: &mut Vec<String>) {
        let join = |tail: &str| {
            if prefix.is_empty() || tail.starts_with('[') {
                format!("{prefix}{tail}")
            } else {
                format!("{prefix}.{tail}")
            }
        };
        match self {
            Node::Number => out.push(prefix.to_string()),
            Node::Object(fields) => {
                for f in *fields {
                    f.node.collect_numbers(&join(f.name), out);
                }
            }
            Node::Map { keys, value } => {
                let key = match keys {
                    MapKeys::StatusCodes => "<status code>",
                    MapKeys::TargetGroups => "<target group>",
                    MapKeys::Queues => "<queue>",
                    MapKeys::Topics => "<topic>",
                    MapKeys::Consumers => "<worker program>",
                    MapKeys::Clients => "<client>",
                };
                value.collect_numbers(&join(key), out);
            }
            Node::List { items, item } => {
                let pick = format!("[{}=…]", items.name_field());
                item.collect_numbers(&join(&pick), out);
            }
        }
    }
}

const fn number(name: &'static str) -> Field {
    Field {
        name,
        node: Node::Number,
        presence: Presence::Always,
    }
}

const fn object(name: &'static str, fields: &'static [Field], presence: Presence) -> Field {
    Field {
        name,
        node: Node::Object(fields),
        presence,
    }
}

/// `latency_ms` of the run and of each target group \[ms\].
const LATENCY: &[Field] = &[
    number("mean"),
    number("p50"),
    number("p90"),
    number("p99"),
    number("p999"),
    number("max"),
];

/// One target group's results.
const TARGET_GROUP: Node = Node::Object(&[
    number("requests"),
    object("latency_ms", LATENCY, Presence::Always),
    object(
        "stickiness",
        &[
            number("requests_with_cookie"),
            number("reached_session_target"),
            number("share"),
        ],
        Presence::WithStickyCookies,
    ),
]);

/// One retrying or timing-out client's end users.
const CLIENT: Node = Node::Object(&[
    number("requests"),
    number("succeeded"),
    number("failed"),
    number("attempts"),
    number("retries"),
    number("retry_share"),
    number("timeouts"),
    number("quota_refused"),
    number("retries_after_end"),
    object("latency_ms", LATENCY, Presence::Always),
]);

/// One instance's results.
const INSTANCE: Node = Node::Object(&[
    number("cpu_utilization"),
    number("requests_completed"),
    number("launched_seconds"),
    number("terminated_seconds"),
    number("price_per_hour"),
]);

/// One Auto Scaling group's results.
const AUTO_SCALING_GROUP: Node = Node::Object(&[
    number("starting_capacity"),
    number("instance_hours"),
    number("returned_to_starting_capacity_seconds"),
    number("seconds_from_load_end_to_starting_capacity"),
    number("scale_out_activities"),
    number("scale_in_activities"),
    number("unhealthy_replacements"),
    number("instances_launched"),
    number("average_desired_capacity"),
    number("average_in_service"),
    number("max_in_service"),
]);

/// One SQS queue's results (`QueueResult`).
const QUEUE: Node = Node::Object(&[
    number("visibility_timeout_seconds"),
    number("sent"),
    number("deduplicated"),
    number("received"),
    number("redelivered"),
    number("deleted"),
    number("empty_receives"),
    number("receive_calls"),
    number("moved_to_dlq"),
    number("expired"),
    number("lost_by_workers"),
    number("duplicate_processings"),
    number("stale_deletes"),
    number("rejected_visibility_changes"),
    number("throttled_calls"),
    number("failed_sends"),
    number("moved_in"),
    number("billed_requests"),
    number("cost_usd"),
    object("message_latency_ms", LATENCY, Presence::Always),
    number("visible_at_end"),
    number("in_flight_at_end"),
    number("delayed_at_end"),
    number("max_visible"),
    number("max_age_of_oldest_seconds"),
]);

/// One subscription of a topic.
const SUBSCRIPTION: Node = Node::Object(&[number("delivered"), number("filtered_out")]);

/// One SNS topic's results (`TopicResult`).
const TOPIC: Node = Node::Object(&[
    number("published"),
    number("delivered"),
    number("filtered_out"),
    Field {
        name: "subscriptions",
        node: Node::List {
            items: ListItems::Subscriptions,
            item: &SUBSCRIPTION,
        },
        presence: Presence::Always,
    },
    number("billed_requests"),
    number("cost_usd"),
]);

/// One worker program's results (`ConsumerResult`).
const CONSUMER: Node = Node::Object(&[
    number("processed"),
    number("failed"),
    number("deleted"),
    number("wasted_cpu_seconds"),
    number("utilisation"),
]);

/// A map of `value`s keyed by `keys`, present as `presence` says.
const fn map(name: &'static str, keys: MapKeys, value: &'static Node, presence: Presence) -> Field {
    Field {
        name,
        node: Node::Map { keys, value },
        presence,
    }
}

/// A number present as `presence` says.
const fn number_with(name: &'static str, presence: Presence) -> Field {
    Field {
        name,
        node: Node::Number,
        presence,
    }
}

/// Every number of `summary.json`, in the file's order.
pub static SCHEMA: Node = Node::Object(&[
    number("seed"),
    number("duration_seconds"),
    number("load_ends_seconds"),
    object(
        "partial",
        &[
            number("simulated_seconds_reached"),
            number("simulated_seconds_requested"),
        ],
        Presence::WhenStopped,
    ),
    object(
        "requests",
        &[
            number("total"),
            Field {
                name: "by_status",
                node: Node::Map {
                    keys: MapKeys::StatusCodes,
                    value: &Node::Number,
                },
                presence: Presence::Always,
            },
            number("errors_5xx"),
            number("in_flight_at_end"),
        ],
        Presence::Always,
    ),
    object("latency_ms", LATENCY, Presence::Always),
    Field {
        name: "target_groups",
        node: Node::Map {
            keys: MapKeys::TargetGroups,
            value: &TARGET_GROUP,
        },
        presence: Presence::Always,
    },
    Field {
        name: "instances",
        node: Node::List {
            items: ListItems::Instances,
            item: &INSTANCE,
        },
        presence: Presence::Always,
    },
    object(
        "websockets",
        &[
            number("opened"),
            number("closed_by_idle_timeout"),
            number("closed_by_deregistration"),
            number("closed_by_target_failure"),
            number("messages"),
            number("pings"),
        ],
        Presence::WithWebsocketClients,
    ),
    map(
        "clients",
        MapKeys::Clients,
        &CLIENT,
        Presence::WithRetryingClients,
    ),
    Field {
        name: "auto_scaling_groups",
        node: Node::List {
            items: ListItems::AutoScalingGroups,
            item: &AUTO_SCALING_GROUP,
        },
        presence: Presence::WithAutoScalingGroups,
    },
    map("queues", MapKeys::Queues, &QUEUE, Presence::WithQueues),
    map("topics", MapKeys::Topics, &TOPIC, Presence::WithTopics),
    map(
        "consumers",
        MapKeys::Consumers,
        &CONSUMER,
        Presence::WithConsumers,
    ),
    object(
        "cost",
        &[
            number("ec2"),
            number("alb"),
            number_with("sqs", Presence::WithQueues),
            number_with("sns", Presence::WithTopics),
            number("total"),
            number("instance_hours"),
            number("lcu_hours"),
        ],
        Presence::Always,
    ),
    number("events_processed"),
    number("wall_seconds"),
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_inside_name_every_leaf_in_order() {
        let latency = SCHEMA.field("latency_ms").unwrap();
        assert_eq!(
            latency.node.numbers_inside(),
            ["mean", "p50", "p90", "p99", "p999", "max"]
        );
        let groups = SCHEMA.field("target_groups").unwrap().node.numbers_inside();
        assert_eq!(groups[0], "<target group>.requests");
        assert!(groups.contains(&"<target group>.stickiness.share".to_string()));
        let instances = SCHEMA.field("instances").unwrap().node.numbers_inside();
        assert_eq!(instances[0], "[id=…].cpu_utilization");
    }

    /// The numbers (and nulls) of a `summary.json` value, as [`Node::numbers_inside`] names
    /// them: list items as `[endpoint=…]` (the only list inside the messaging sections).
    fn json_numbers(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        let join = |tail: &str| {
            if path.is_empty() || tail.starts_with('[') {
                format!("{path}{tail}")
            } else {
                format!("{path}.{tail}")
            }
        };
        match v {
            serde_json::Value::Number(_) | serde_json::Value::Null => out.push(path.to_string()),
            serde_json::Value::Object(fields) => {
                for (k, v) in fields {
                    json_numbers(v, &join(k), out);
                }
            }
            serde_json::Value::Array(items) => {
                for v in items {
                    json_numbers(v, &join("[endpoint=…]"), out);
                }
            }
            _ => {}
        }
    }

    /// The messaging sections and the cost of a queue run's `summary.json` hold exactly the
    /// numbers the schema names, both ways.
    #[test]
    fn the_messaging_sections_are_exactly_the_schemas() {
        let r = crate::report::test_support::messaging_result();
        let json: serde_json::Value =
            serde_json::from_str(&crate::report::summary::to_json(&r)).unwrap();
        for (section, key) in [
            ("queues", "<queue>"),
            ("topics", "<topic>"),
            ("consumers", "<worker program>"),
            ("cost", ""),
        ] {
            let mut written = Vec::new();
            match key {
                "" => json_numbers(&json[section], "", &mut written),
                _ => {
                    for v in json[section].as_object().unwrap().values() {
                        json_numbers(v, key, &mut written);
                    }
                }
            }
            written.sort();
            written.dedup();
            let mut schema = SCHEMA.field(section).unwrap().node.numbers_inside();
            schema.sort();
            assert_eq!(written, schema, "{section}");
        }
        let queues = SCHEMA.field("queues").unwrap();
        assert_eq!(queues.presence, Presence::WithQueues);
        assert!(
            (queues.node.numbers_inside()).contains(&"<queue>.message_latency_ms.p99".to_string())
        );
    }
}
