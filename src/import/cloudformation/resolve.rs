//! Parameters, pseudo-parameters, conditions, mappings and the intrinsic functions.
//!
//! [`Stack::new`] checks the template's sections, settles the parameters (defaults,
//! `--parameters`, types, constraints) and evaluates every condition once (cycles are an
//! error). Resources whose `Condition` is false are left out. Property values are evaluated
//! lazily, by [`Stack::resolve`], only for what the mapper reads.
//!
//! Parameter types: `String`, `Number` (checked numeric, kept as a number), `List<Number>`,
//! `CommaDelimitedList` (split on commas, spaces around items trimmed), `AWS::…` types as
//! strings and `List<AWS::…>` as lists. Constraints checked: `AllowedValues`,
//! `MinLength`/`MaxLength`, `MinValue`/`MaxValue`; `AllowedPattern` is not checked (a value
//! CloudFormation would reject for its pattern imports anyway).

mod cidr;
mod eval;
mod params;

use super::{ImportError, Mark, Node, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use params::PSEUDO_PARAMETERS;

/// A template parameter with the value in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Logical name.
    pub name: String,
    /// Its value (from `--parameters`, or its `Default`).
    pub value: Node,
    /// Whether `--parameters` gave it.
    pub given: bool,
}

/// One entry of the template's `Resources` whose `Condition` (if any) holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Logical id.
    pub logical_id: String,
    /// `Type`, e.g. `AWS::ElasticLoadBalancingV2::TargetGroup`.
    pub type_name: String,
    /// `Properties`, unresolved (an empty mapping when the template has none).
    pub properties: Node,
    /// Where the resource starts.
    pub mark: super::Mark,
}

/// The template's top-level sections, in CloudFormation's documented order.
pub const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
];

/// A template ready to be read resource by resource.
#[derive(Debug, Clone)]
pub struct Stack {
    file: PathBuf,
    parameters: Vec<Parameter>,
    /// `AWS::Region` … with the values in force (`AWS::NoValue` is handled apart).
    pseudo: Vec<(String, Node)>,
    mappings: Option<Node>,
    conditions: BTreeMap<String, bool>,
    resources: Vec<Resource>,
    /// Resources left out because their condition is false: (logical id, condition).
    left_out: Vec<(String, String)>,
}

impl Stack {
    /// Checks the template's sections and settles parameters (defaults, `--parameters`), the
    /// pseudo-parameters and the conditions.
    pub fn new(
        root: &Node,
        file: &Path,
        parameters: &[(String, String)],
    ) -> Result<Stack, ImportError> {
        let err = |mark: Mark, context: Option<&str>, message: String| ImportError {
            file: file.to_path_buf(),
            mark: Some(mark),
            context: context.map(str::to_string),
            message,
        };
        let Some(sections) = root.as_map() else {
            return Err(err(
                root.mark,
                None,
                "a template is a mapping of sections (Resources, Parameters…)".to_string(),
            ));
        };
        for (name, node) in sections {
            if !SECTIONS.contains(&name.as_str()) {
                return Err(err(
                    node.mark,
                    None,
                    format!(
                        "unknown template section `{name}` (expected one of {})",
                        SECTIONS.join(", ")
                    ),
                ));
            }
        }
        let Some(resources_node) = root.get("Resources") else {
            return Err(err(
                root.mark,
                None,
                "the template has no Resources section (CloudFormation requires one)".to_string(),
            ));
        };
        let Some(resource_entries) = resources_node.as_map() else {
            return Err(err(
                resources_node.mark,
                Some("Resources"),
                "expected a mapping of logical ids to resources".to_string(),
            ));
        };
        if resource_entries.is_empty() {
            return Err(err(
                resources_node.mark,
                Some("Resources"),
                "the Resources section is empty (CloudFormation requires at least one resource)"
                    .to_string(),
            ));
        }
        for (name, node) in [
            ("Parameters", root.get("Parameters")),
            ("Mappings", root.get("Mappings")),
            ("Conditions", root.get("Conditions")),
            ("Outputs", root.get("Outputs")),
        ] {
            if let Some(node) = node {
                if node.as_map().is_none() && node.value != Value::Null {
                    return Err(err(
                        node.mark,
                        Some(name),
                        "expected a mapping of names to entries".to_string(),
                    ));
                }
            }
        }

        let settled = params::settle(root.get("Parameters"), file, parameters)?;
        let mut stack = Stack {
            file: file.to_path_buf(),
            parameters: settled.parameters,
            pseudo: settled.pseudo,
            mappings: root.get("Mappings").cloned(),
            conditions: BTreeMap::new(),
            resources: Vec::new(),
            left_out: Vec::new(),
        };
        stack.conditions = eval::conditions(&stack, root.get("Conditions"))?;

        for (logical_id, node) in resource_entries {
            let context = format!("Resources.{logical_id}");
            if node.as_map().is_none() {
                return Err(err(
                    node.mark,
                    Some(&context),
                    "expected a mapping with Type and Properties".to_string(),
                ));
            }
            let type_name = match node.get("Type") {
                Some(t) => match t.as_str() {
                    Some(s) => s.to_string(),
                    None => {
                        return Err(err(
                            t.mark,
                            Some(&context),
                            "Type must be a resource type name such as AWS::EC2::VPC".to_string(),
                        ));
                    }
                },
                None => {
                    return Err(err(
                        node.mark,
                        Some(&context),
                        "the resource has no Type".to_string(),
                    ));
                }
            };
            if let Some(cond) = node.get("Condition") {
                let Some(name) = cond.as_str() else {
                    return Err(err(
                        cond.mark,
                        Some(&context),
                        "Condition must be the name of a condition".to_string(),
                    ));
                };
                match stack.conditions.get(name) {
                    Some(true) => {}
                    Some(false) => {
                        stack.left_out.push((logical_id.clone(), name.to_string()));
                        continue;
                    }
                    None => {
                        return Err(err(
                            cond.mark,
                            Some(&context),
                            format!(
                                "Condition `{name}` is not defined in Conditions{}",
                                stack.defined_conditions()
                            ),
                        ));
                    }
                }
            }
            let properties = match node.get("Properties") {
                Some(p) if p.as_map().is_some() => p.clone(),
                Some(p) if p.value == Value::Null => Node::new(Value::Map(Vec::new()), p.mark),
                Some(p) => {
                    return Err(err(
                        p.mark,
                        Some(&context),
                        "Properties must be a mapping".to_string(),
                    ));
                }
                None => Node::new(Value::Map(Vec::new()), node.mark),
            };
            stack.resources.push(Resource {
                logical_id: logical_id.clone(),
                type_name,
                properties,
                mark: node.mark,
            });
        }
        Ok(stack)
    }

    /// The template file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The parameters with the values in force, in the template's order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The resources whose condition holds, in the template's order.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// Resources left out because their `Condition` is false: (logical id, condition name), in
    /// the template's order.
    pub fn left_out(&self) -> &[(String, String)] {
        &self.left_out
    }

    /// The value of condition `name` from the template's `Conditions`, `None` if it has none
    /// of that name.
    pub fn condition_value(&self, name: &str) -> Option<bool> {
        self.conditions.get(name).copied()
    }

    /// The value in force of pseudo-parameter `name` (`AWS::Region`…), `None` for other names
    /// and for `AWS::NoValue`.
    pub fn pseudo_parameter(&self, name: &str) -> Option<&Node> {
        self.pseudo.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// `node` (part of resource `logical_id`) with every intrinsic function evaluated:
    /// `Ref`/`Fn::GetAtt` of a resource become [`Value::ResourceRef`] /
    /// [`Value::ResourceAttr`] (inside strings: a stand-in string),
    /// `AWS::NoValue` removes its key or element. An intrinsic albsim cannot evaluate is an error
    /// naming `logical_id` and its line:column.
    pub fn resolve(&self, logical_id: &str, node: &Node) -> Result<Node, ImportError> {
        let context = format!("Resources.{logical_id}");
        eval::resolve(self, &context, node)
    }

    /// Like [`Stack::resolve`] for a part of the template other than a resource, e.g. an
    /// output: `context` names it in errors (`Outputs.URL`).
    pub fn resolve_in(&self, context: &str, node: &Node) -> Result<Node, ImportError> {
        eval::resolve(self, context, node)
    }

    fn defined_conditions(&self) -> String {
        if self.conditions.is_empty() {
            " (the template defines none)".to_string()
        } else {
            let names: Vec<&str> = self.conditions.keys().map(String::as_str).collect();
            format!(" (defined: {})", names.join(", "))
        }
    }

    fn error(&self, mark: Mark, context: &str, message: String) -> ImportError {
        ImportError {
            file: self.file.clone(),
            mark: Some(mark),
            context: Some(context.to_string()),
            message,
        }
    }
}

/// The string a resource reference stands for inside a string (`Fn::Sub`, `Fn::Join`…), where
/// the deployed value (an ARN, a DNS name) does not exist: the logical id for `Ref`,
/// `LogicalId.Attribute` for `Fn::GetAtt`. `None` for other values.
pub fn stand_in(value: &Value) -> Option<String> {
    match value {
        Value::ResourceRef(id) => Some(id.clone()),
        Value::ResourceAttr(id, attr) => Some(format!("{id}.{attr}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
