//! The numbers of `summary.json` as a tree ([`SCHEMA`]): which fields hold numbers, which maps
//! are keyed by target-group name or status code, which lists hold one item per instance or
//! Auto Scaling group. Metric paths of experiments (`experiment::metric`) are checked against it;
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
    /// An object keyed by names the model decides (`target_groups.web`, `by_status.502`).
    Map {
        /// What its keys are.
        keys: MapKeys,
        /// What each key holds.
        value: &'static Node,
    },
    /// A list: one item per instance or Auto Scaling group, picked by position (`[0]`) or by
    /// its name field (`[name=web-asg]`, `[id=web-1]`).
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
}

/// What the items of a [`Node::List`] are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListItems {
    /// EC2 instances, picked by `id`: the model's, then those Auto Scaling launched
    /// (`<group>-0001`, …) in launch order.
    Instances,
    /// Auto Scaling groups in model order, picked by `name`.
    AutoScalingGroups,
}

impl ListItems {
    /// The field that names an item (`[id=web-1]`, `[name=web-asg]`).
    pub fn name_field(self) -> &'static str {
        match self {
            ListItems::Instances => "id",
            ListItems::AutoScalingGroups => "name",
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
    Field {
        name: "auto_scaling_groups",
        node: Node::List {
            items: ListItems::AutoScalingGroups,
            item: &AUTO_SCALING_GROUP,
        },
        presence: Presence::WithAutoScalingGroups,
    },
    object(
        "cost",
        &[
            number("ec2"),
            number("alb"),
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
}
