//! Parameters, pseudo-parameters, conditions, mappings and the intrinsic functions.

use super::{ImportError, Node};
use std::path::Path;

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

/// A template ready to be read resource by resource.
#[derive(Debug, Clone)]
pub struct Stack {
    _private: (),
}

impl Stack {
    /// Checks the template's sections and settles parameters (defaults, `--parameters`), the
    /// pseudo-parameters and the conditions.
    pub fn new(
        root: &Node,
        file: &Path,
        parameters: &[(String, String)],
    ) -> Result<Stack, ImportError> {
        let _ = (root, file, parameters);
        todo!("h-cfnparse")
    }

    /// The template file.
    pub fn file(&self) -> &Path {
        todo!("h-cfnparse")
    }

    /// The parameters with the values in force, in the template's order.
    pub fn parameters(&self) -> &[Parameter] {
        todo!("h-cfnparse")
    }

    /// The resources whose condition holds, in the template's order.
    pub fn resources(&self) -> &[Resource] {
        todo!("h-cfnparse")
    }

    /// `node` (part of resource `logical_id`) with every intrinsic function evaluated:
    /// `Ref`/`Fn::GetAtt` of a resource become [`Value::ResourceRef`](super::Value::ResourceRef) /
    /// [`Value::ResourceAttr`](super::Value::ResourceAttr) (inside strings: a stand-in string),
    /// `AWS::NoValue` removes its key or element. An intrinsic albsim cannot evaluate is an error
    /// naming `logical_id` and its line:column.
    pub fn resolve(&self, logical_id: &str, node: &Node) -> Result<Node, ImportError> {
        let _ = (logical_id, node);
        todo!("h-cfnparse")
    }
}
