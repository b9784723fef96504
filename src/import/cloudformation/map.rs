//! Resources → an albsim model.
//!
//! One submodule per AWS concept, each turning its resources into the model's JSON (AWS key names
//! where the model uses them):
//!
//! | file | resources | model section |
//! | --- | --- | --- |
//! | `load_balancer.rs` | `ElasticLoadBalancingV2::LoadBalancer`, `::Listener`, `::ListenerRule` | `load_balancer` |
//! | `target_group.rs` | `ElasticLoadBalancingV2::TargetGroup` | `target_groups` |
//! | `instance.rs` | `EC2::Instance` (and instances named only by id in `Targets`) | `instances` |
//! | `autoscaling.rs` | `AutoScaling::AutoScalingGroup`, `EC2::LaunchTemplate`, `AutoScaling::LaunchConfiguration`, `::ScalingPolicy`, `::LifecycleHook`, `::ScheduledAction` | `auto_scaling_groups` |
//! | `scheduled.rs`, `cron.rs` | `AutoScaling::ScheduledAction` (`StartTime`, `Recurrence`, `TimeZone`, `EndTime` on the run's calendar) | a group's `ScheduledActions` |
//! | `alarm.rs` | `CloudWatch::Alarm` | `alarms` |
//! | `sqs.rs` | `SQS::Queue`, `SNS::Topic`, `SNS::Subscription` | `queues`, `topics` |
//! | `defaults.rs` | — (what a template never says: traffic, run length) | `clients`, `duration`, `seed` |
//! | `pretty.rs` | — | the model's text, keys in the model's order |
//! | `read.rs` | — | reading properties, errors with line:column |

mod alarm;
mod autoscaling;
mod cron;
mod defaults;
mod instance;
mod load_balancer;
mod pretty;
pub mod read;
mod scheduled;
mod sqs;
mod target_group;

pub use pretty::pretty;
pub use read::{Prop, Resolved, node_from_json};

use super::{ImportError, Imported, RunWindow, Stack};
use serde_json::{Map, Value as Json, json};
use std::collections::BTreeMap;
use std::path::Path;

/// How an imported model's `description` begins (`import --out` replaces only such a model).
pub const IMPORTED_MARK: &str = "Imported from the CloudFormation template";

/// Resource types albsim turns into parts of the model (their properties are resolved).
const MAPPED: &[&str] = &[
    LOAD_BALANCER,
    LISTENER,
    LISTENER_RULE,
    TARGET_GROUP,
    INSTANCE,
    ASG,
    LAUNCH_TEMPLATE,
    LAUNCH_CONFIGURATION,
    SCALING_POLICY,
    LIFECYCLE_HOOK,
    SCHEDULED_ACTION,
    ALARM,
    SUBNET,
    QUEUE,
    TOPIC,
    SUBSCRIPTION,
];

/// `AWS::ElasticLoadBalancingV2::LoadBalancer`.
pub const LOAD_BALANCER: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
/// `AWS::ElasticLoadBalancingV2::Listener`.
pub const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";
/// `AWS::ElasticLoadBalancingV2::ListenerRule`.
pub const LISTENER_RULE: &str = "AWS::ElasticLoadBalancingV2::ListenerRule";
/// `AWS::ElasticLoadBalancingV2::TargetGroup`.
pub const TARGET_GROUP: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";
/// `AWS::EC2::Instance`.
pub const INSTANCE: &str = "AWS::EC2::Instance";
/// `AWS::AutoScaling::AutoScalingGroup`.
pub const ASG: &str = "AWS::AutoScaling::AutoScalingGroup";
/// `AWS::EC2::LaunchTemplate`.
pub const LAUNCH_TEMPLATE: &str = "AWS::EC2::LaunchTemplate";
/// `AWS::AutoScaling::LaunchConfiguration`.
pub const LAUNCH_CONFIGURATION: &str = "AWS::AutoScaling::LaunchConfiguration";
/// `AWS::AutoScaling::ScalingPolicy`.
pub const SCALING_POLICY: &str = "AWS::AutoScaling::ScalingPolicy";
/// `AWS::AutoScaling::LifecycleHook`.
pub const LIFECYCLE_HOOK: &str = "AWS::AutoScaling::LifecycleHook";
/// `AWS::AutoScaling::ScheduledAction`.
pub const SCHEDULED_ACTION: &str = "AWS::AutoScaling::ScheduledAction";
/// `AWS::CloudWatch::Alarm`.
pub const ALARM: &str = "AWS::CloudWatch::Alarm";
/// `AWS::SQS::Queue`.
pub const QUEUE: &str = "AWS::SQS::Queue";
/// `AWS::SNS::Topic`.
pub const TOPIC: &str = "AWS::SNS::Topic";
/// `AWS::SNS::Subscription`.
pub const SUBSCRIPTION: &str = "AWS::SNS::Subscription";
/// `AWS::EC2::Subnet` (read for its Availability Zone; not modelled itself).
pub const SUBNET: &str = "AWS::EC2::Subnet";

/// Maps the stack's resources to a model.
pub fn map(stack: &Stack, window: &RunWindow) -> Result<Imported, ImportError> {
    let mut resolved = Vec::with_capacity(stack.resources().len());
    for r in stack.resources() {
        let props = if MAPPED.contains(&r.type_name.as_str()) {
            stack.resolve(&r.logical_id, &r.properties)?
        } else {
            r.properties.clone()
        };
        resolved.push(Resolved {
            logical_id: r.logical_id.clone(),
            type_name: r.type_name.clone(),
            mark: r.mark,
            props,
        });
    }
    let region = stack
        .pseudo_parameter("AWS::Region")
        .and_then(|n| n.as_str().map(str::to_string))
        .unwrap_or_else(|| defaults::REGION.to_string());
    let name = model_name(stack.file());
    let mut imported = map_resolved(stack.file(), &name, &region, &resolved, window)?;
    let stem = stack.file().file_stem().map(|s| s.to_string_lossy());
    if stem.as_deref() != Some(name.as_str()) {
        imported.assumed.push(format!(
            "name: {name:?} (the template's file name, made a model name: letters, digits, -, _ and .)"
        ));
    }
    for (id, condition) in stack.left_out() {
        imported.notes.push(format!(
            "Resources.{id}: left out, as CloudFormation would: its Condition {condition} is false"
        ));
    }
    Ok(imported)
}

/// The model's name: the template file's name without its extension, made a valid model name
/// (letters, digits, `-`, `_`, `.`; other characters become `-`), or `imported`.
pub fn model_name(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = String::new();
    for c in stem.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            c
        } else {
            '-'
        };
        if !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
    }
    let name: String = name
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take(crate::scenario::names::MAX_MODEL_NAME)
        .collect();
    let name = name.trim_end_matches(['-', '.']).to_string();
    let at = crate::scenario::path::JsonPath::root().key("name");
    if crate::scenario::names::check_model_name(&name, &at).is_ok() {
        name
    } else {
        "imported".into()
    }
}

/// Maps resolved resources (in the template's order) to a model named `name`; `region` is the
/// value of `AWS::Region`, `window` the run's place on the calendar.
pub fn map_resolved(
    file: &Path,
    name: &str,
    region: &str,
    resources: &[Resolved],
    window: &RunWindow,
) -> Result<Imported, ImportError> {
    let mut cx = Ctx::new(file, region, resources, window)?;
    let target_groups = target_group::map_all(&mut cx)?;
    let load_balancer = load_balancer::map(&mut cx)?;
    let groups = autoscaling::map_all(&mut cx)?;
    let instances = instance::map_all(&mut cx)?;
    let queues = sqs::queues(&mut cx)?;
    let topics = sqs::topics(&mut cx)?;
    let alarms = alarm::map_all(&mut cx)?;
    for r in resources {
        if !MAPPED.contains(&r.type_name.as_str()) || r.type_name == SUBNET {
            cx.ignored.push((r.logical_id.clone(), r.type_name.clone()));
        }
    }
    // Ignored resources in the template's order, whichever mapper found them.
    let position = |id: &str| resources.iter().position(|r| r.logical_id == id);
    cx.ignored.sort_by_key(|(id, _)| position(id));
    cx.ignored.dedup();
    let clients = defaults::clients(&mut cx, &load_balancer);

    let mut model = Map::new();
    model.insert("name".into(), json!(name));
    model.insert(
        "description".into(),
        json!(format!(
            "{IMPORTED_MARK} {} by `albsim import cloudformation`. The \
             template does not describe traffic: the clients, their request mix and service \
             times, the run's duration and seed are albsim's assumed defaults (listed when \
             importing) — edit them to match your workload.",
            file.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        )),
    );
    match &window.duration {
        Some((text, _)) => model.insert("duration".into(), json!(text)),
        None => {
            cx.assume(
                "duration",
                &format!("{:?} (the template has no run length)", defaults::DURATION),
            );
            model.insert("duration".into(), json!(defaults::DURATION))
        }
    };
    model.insert("seed".into(), json!(defaults::SEED));
    cx.assume(
        "seed",
        &format!("{} (any seed; runs are deterministic)", defaults::SEED),
    );
    model.insert("clients".into(), clients);
    model.insert("load_balancer".into(), load_balancer);
    model.insert("target_groups".into(), Json::Array(target_groups));
    if !instances.is_empty() {
        model.insert("instances".into(), Json::Array(instances));
    }
    if !groups.is_empty() {
        model.insert("auto_scaling_groups".into(), Json::Array(groups));
    }
    if !alarms.is_empty() {
        model.insert("alarms".into(), Json::Array(alarms));
    }
    if !queues.is_empty() {
        model.insert("queues".into(), Json::Array(queues));
    }
    if !topics.is_empty() {
        model.insert("topics".into(), Json::Array(topics));
    }
    Ok(Imported {
        model: Json::Object(model),
        assumed: cx.assumed,
        ignored: cx.ignored,
        notes: cx.notes,
    })
}

/// What the mappers share: the resources, the names they become in the model, and the lists of
/// what was assumed, ignored and noted.
pub(crate) struct Ctx<'a> {
    /// The template file.
    pub file: &'a Path,
    /// `AWS::Region`.
    pub region: String,
    /// All resources, in the template's order.
    pub resources: &'a [Resolved],
    /// Target group logical id → its name in the model.
    pub tg_names: BTreeMap<String, String>,
    /// Auto Scaling group logical id → its name in the model.
    pub asg_names: BTreeMap<String, String>,
    /// Instances the model needs that the template only names by id (from `Targets`), in order.
    pub external_instances: Vec<String>,
    /// Scaling policy logical id → its `PolicyName` in the model.
    pub policy_names: BTreeMap<String, String>,
    /// See [`Imported::assumed`].
    pub assumed: Vec<String>,
    /// See [`Imported::ignored`].
    pub ignored: Vec<(String, String)>,
    /// See [`Imported::notes`].
    pub notes: Vec<String>,
    /// The run's place on the calendar, for scheduled actions.
    pub calendar: scheduled::Calendar,
    /// Whether `--start` was given (else the calendar's start is an assumption).
    pub start_given: bool,
}

impl<'a> Ctx<'a> {
    fn new(
        file: &'a Path,
        region: &str,
        resources: &'a [Resolved],
        window: &RunWindow,
    ) -> Result<Ctx<'a>, ImportError> {
        let duration_secs = match &window.duration {
            Some((_, secs)) => *secs,
            None => crate::scenario::values::parse_duration(defaults::DURATION)
                .map_or(0, |d| d.as_secs()),
        };
        let mut cx = Ctx {
            file,
            region: region.to_string(),
            resources,
            tg_names: BTreeMap::new(),
            asg_names: BTreeMap::new(),
            external_instances: Vec::new(),
            policy_names: BTreeMap::new(),
            assumed: Vec::new(),
            ignored: Vec::new(),
            notes: Vec::new(),
            calendar: scheduled::Calendar {
                start: window
                    .start
                    .unwrap_or(crate::access_log::write::clock::DEFAULT_START_UNIX_SECONDS)
                    as i64,
                duration_secs: duration_secs as i64,
            },
            start_given: window.start.is_some(),
        };
        for r in resources {
            let named = |key: &str| -> Result<String, ImportError> {
                Ok(cx
                    .props(r)
                    .str_of(key)?
                    .unwrap_or_else(|| r.logical_id.clone()))
            };
            match r.type_name.as_str() {
                TARGET_GROUP => {
                    let n = named("Name")?;
                    cx.tg_names.insert(r.logical_id.clone(), n);
                }
                ASG => {
                    let n = named("AutoScalingGroupName")?;
                    cx.asg_names.insert(r.logical_id.clone(), n);
                }
                SCALING_POLICY => {
                    cx.policy_names
                        .insert(r.logical_id.clone(), r.logical_id.clone());
                }
                _ => {}
            }
        }
        Ok(cx)
    }

    /// The `Properties` of `r`, for reading.
    pub fn props(&self, r: &'a Resolved) -> Prop<'a> {
        Prop {
            file: self.file,
            id: &r.logical_id,
            path: String::new(),
            node: &r.props,
        }
    }

    /// The resources of type `type_name`, in the template's order.
    pub fn of_type(&self, type_name: &'a str) -> impl Iterator<Item = &'a Resolved> + 'a {
        self.resources
            .iter()
            .filter(move |r| r.type_name == type_name)
    }

    /// The resource with logical id `id`.
    pub fn find(&self, id: &str) -> Option<&'a Resolved> {
        self.resources.iter().find(|r| r.logical_id == id)
    }

    /// The logical ids of the resources of type `type_name`.
    pub fn ids(&self, type_name: &str) -> Vec<&'a str> {
        self.resources
            .iter()
            .filter(|r| r.type_name == type_name)
            .map(|r| r.logical_id.as_str())
            .collect()
    }

    /// The target group `p` refers to (`!Ref TG`), by its model name.
    pub fn target_group(&self, p: &Prop<'_>) -> Result<String, ImportError> {
        let ids = self.ids(TARGET_GROUP);
        p.reference(&ids)
            .and_then(|id| self.tg_names.get(&id).cloned())
            .ok_or_else(|| {
                p.error(format!(
                    "expected a reference to a target group of this template (!Ref of one of: {}), got {}",
                    if ids.is_empty() { "none defined".into() } else { ids.join(", ") },
                    read::describe(p.node)
                ))
            })
    }

    /// Records an assumption about the model path `path`.
    pub fn assume(&mut self, path: &str, what: &str) {
        self.assumed.push(format!("{path}: {what}"));
    }

    /// Records a note about resource `id`.
    pub fn note(&mut self, id: &str, what: impl AsRef<str>) {
        self.notes
            .push(format!("Resources.{id}: {}", what.as_ref()));
    }

    /// An error about resource `r` as a whole.
    pub fn error(&self, r: &Resolved, message: impl Into<String>) -> ImportError {
        ImportError {
            file: self.file.to_path_buf(),
            mark: Some(r.mark),
            context: Some(format!("Resources.{}", r.logical_id)),
            message: message.into(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Resources from JSON `{"Id": {"Type": …, "Properties": …}}`; strings `"!ref:X"` and
    /// `"!ref:X.Attr"` stand for resolved `Ref` / `Fn::GetAtt`.
    pub fn resources(v: serde_json::Value) -> Vec<Resolved> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(id, r)| Resolved {
                logical_id: id.clone(),
                type_name: r["Type"].as_str().unwrap().to_string(),
                mark: crate::import::cloudformation::Mark { line: 1, column: 1 },
                props: node_from_json(r.get("Properties").unwrap_or(&json!({}))),
            })
            .collect()
    }

    /// Maps `v` (see [`resources`]) in region us-east-1.
    pub fn import(v: serde_json::Value) -> Result<Imported, ImportError> {
        import_in(v, &RunWindow::default())
    }

    /// Maps `v` for a run at `window`.
    pub fn import_in(v: serde_json::Value, window: &RunWindow) -> Result<Imported, ImportError> {
        map_resolved(Path::new("t.yaml"), "t", "us-east-1", &resources(v), window)
    }

    /// The smallest stack: an ALB, a listener and a target group with two instances.
    pub fn minimal() -> serde_json::Value {
        json!({
            "LB": {"Type": LOAD_BALANCER, "Properties": {"Subnets": ["subnet-1", "subnet-2"]}},
            "Web": {"Type": LISTENER, "Properties": {"LoadBalancerArn": "!ref:LB", "Port": 80,
                "Protocol": "HTTP",
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": "!ref:TG"}]}},
            "TG": {"Type": TARGET_GROUP, "Properties": {"Port": 8080, "Protocol": "HTTP",
                "Targets": [{"Id": "!ref:A"}, {"Id": "!ref:B"}]}},
            "A": {"Type": INSTANCE, "Properties": {"InstanceType": "t3.small",
                "AvailabilityZone": "us-east-1a"}},
            "B": {"Type": INSTANCE, "Properties": {"InstanceType": "t3.small",
                "AvailabilityZone": "us-east-1b"}},
            "SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x"}}
        })
    }

    /// The model validates with albsim's own loader.
    pub fn validates(m: &Imported) {
        let text = serde_json::to_string(&m.model).unwrap();
        if let Err(e) = crate::scenario::from_json(&text, Path::new("imported.json")) {
            panic!("{e}\n{}", pretty(&m.model));
        }
    }

    #[test]
    fn a_minimal_stack_becomes_a_valid_model_and_lists_what_it_ignored() {
        let m = import(minimal()).unwrap();
        validates(&m);
        assert_eq!(m.model["target_groups"][0]["name"], "TG");
        assert_eq!(m.model["target_groups"][0]["targets"], json!(["A", "B"]));
        assert_eq!(m.model["instances"][1]["availability_zone"], "us-east-1b");
        assert_eq!(
            m.ignored,
            vec![("SG".to_string(), "AWS::EC2::SecurityGroup".to_string())]
        );
        assert!(
            m.assumed
                .iter()
                .any(|a| a.starts_with("clients[0].arrival")),
            "{:?}",
            m.assumed
        );
    }

    #[test]
    fn a_template_without_a_load_balancer_is_an_error() {
        let e = import(json!({"SG": {"Type": "AWS::EC2::SecurityGroup"}})).unwrap_err();
        assert!(e.message.contains("Application Load Balancer"), "{e}");
    }
}
