//! The intrinsic functions and the conditions, evaluated over the [`Node`] tree.
//!
//! A one-entry mapping whose key is `Ref` or `Fn::…` is a function call; its result replaces the
//! mapping. `AWS::NoValue` (also through `Fn::If`) evaluates to nothing, which removes the
//! mapping key or list element holding it. Results carry the mark of the call.

use super::{ImportError, Mark, Node, Stack, Value, cidr, stand_in};
use std::collections::BTreeMap;

/// `node` with every function evaluated; errors name `context`.
pub(super) fn resolve(stack: &Stack, context: &str, node: &Node) -> Result<Node, ImportError> {
    let mut e = Eval {
        stack,
        context: context.to_string(),
        pending: None,
    };
    Ok(e.eval(node)?
        .unwrap_or_else(|| Node::new(Value::Null, node.mark)))
}

/// Every condition of the `Conditions` section, evaluated once (a cycle is an error).
pub(super) fn conditions<'a>(
    stack: &'a Stack,
    section: Option<&'a Node>,
) -> Result<BTreeMap<String, bool>, ImportError> {
    let defs = section.and_then(Node::as_map).unwrap_or(&[]);
    let mut pending = Pending {
        defs,
        state: BTreeMap::new(),
        visiting: Vec::new(),
    };
    for (name, def) in defs {
        let mut e = Eval {
            stack,
            context: format!("Conditions.{name}"),
            pending: Some(&mut pending),
        };
        e.condition(name, def.mark)?;
    }
    Ok(pending.state)
}

/// The longest chain of conditions naming one another (`A: !Condition B`, `B: …`) evaluated,
/// so a hostile template cannot exhaust the stack.
pub const MAX_CONDITION_CHAIN: usize = 64;

/// Conditions being evaluated while the stack is built.
struct Pending<'a> {
    defs: &'a [(String, Node)],
    state: BTreeMap<String, bool>,
    /// The chain of conditions being evaluated, to name a cycle.
    visiting: Vec<String>,
}

struct Eval<'a, 'p> {
    stack: &'a Stack,
    context: String,
    pending: Option<&'p mut Pending<'a>>,
}

type Evaluated = Result<Option<Node>, ImportError>;

impl Eval<'_, '_> {
    fn err(&self, mark: Mark, message: impl Into<String>) -> ImportError {
        self.stack.error(mark, &self.context, message.into())
    }

    fn eval(&mut self, node: &Node) -> Evaluated {
        match &node.value {
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(v) = self.eval(item)? {
                        out.push(v);
                    }
                }
                Ok(Some(Node::new(Value::List(out), node.mark)))
            }
            Value::Map(entries) => {
                if let [(key, arg)] = entries.as_slice() {
                    if key == "Ref" || key.starts_with("Fn::") {
                        return self.function(key, arg, node.mark);
                    }
                }
                let mut out = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    if let Some(v) = self.eval(value)? {
                        out.push((key.clone(), v));
                    }
                }
                Ok(Some(Node::new(Value::Map(out), node.mark)))
            }
            _ => Ok(Some(node.clone())),
        }
    }

    /// A value where one is needed (`AWS::NoValue` is an error here).
    fn value(&mut self, node: &Node, what: &str) -> Result<Node, ImportError> {
        self.eval(node)?.ok_or_else(|| {
            self.err(
                node.mark,
                format!("{what}: AWS::NoValue where a value is needed"),
            )
        })
    }

    /// A value as text: strings, numbers, booleans, a resource's stand-in.
    fn text(&mut self, node: &Node, what: &str) -> Result<String, ImportError> {
        let v = self.value(node, what)?;
        v.scalar_text()
            .or_else(|| stand_in(&v.value))
            .ok_or_else(|| {
                self.err(
                    node.mark,
                    format!("{what}: expected a string, got {}", describe(&v.value)),
                )
            })
    }

    /// A value that is a list.
    fn list(&mut self, node: &Node, what: &str) -> Result<Vec<Node>, ImportError> {
        match self.value(node, what)?.value {
            Value::List(items) => Ok(items),
            other => Err(self.err(
                node.mark,
                format!("{what}: expected a list, got {}", describe(&other)),
            )),
        }
    }

    /// The literal argument list of `name`, of `min..=max` items.
    fn args<'n>(
        &self,
        name: &str,
        arg: &'n Node,
        min: usize,
        max: usize,
        shape: &str,
    ) -> Result<&'n [Node], ImportError> {
        match arg.as_list() {
            Some(items) if (min..=max).contains(&items.len()) => Ok(items),
            _ => Err(self.err(arg.mark, format!("{name} expects {shape}"))),
        }
    }

    fn function(&mut self, name: &str, arg: &Node, mark: Mark) -> Evaluated {
        let at = |v: Value| Ok(Some(Node::new(v, mark)));
        match name {
            "Ref" => self.reference(arg, mark),
            "Fn::GetAtt" => self.get_att(arg, mark),
            "Fn::Sub" => {
                let s = self.sub(arg)?;
                at(Value::String(s))
            }
            "Fn::Join" => {
                let a = self.args(name, arg, 2, 2, "[delimiter, [values…]]")?;
                let delimiter = self.text(&a[0], "Fn::Join delimiter")?;
                let items = self.list(&a[1], "Fn::Join values")?;
                let mut parts = Vec::with_capacity(items.len());
                for item in &items {
                    parts.push(self.text(item, "Fn::Join value")?);
                }
                at(Value::String(parts.join(&delimiter)))
            }
            "Fn::Select" => {
                let a = self.args(name, arg, 2, 2, "[index, [values…]]")?;
                let index = self.value(&a[0], "Fn::Select index")?;
                let Some(i) = index.as_u64() else {
                    return Err(self.err(a[0].mark, "Fn::Select index: expected a whole number ≥ 0"));
                };
                let items = self.list(&a[1], "Fn::Select values")?;
                match items.into_iter().nth(i as usize) {
                    Some(v) => Ok(Some(v)),
                    None => Err(self.err(mark, format!("Fn::Select index {i} is past the end of the list"))),
                }
            }
            "Fn::Split" => {
                let a = self.args(name, arg, 2, 2, "[delimiter, string]")?;
                let delimiter = self.text(&a[0], "Fn::Split delimiter")?;
                if delimiter.is_empty() {
                    return Err(self.err(a[0].mark, "Fn::Split delimiter must not be empty"));
                }
                let source = self.text(&a[1], "Fn::Split string")?;
                let parts = source
                    .split(delimiter.as_str())
                    .map(|p| Node::new(Value::String(p.to_string()), mark))
                    .collect();
                at(Value::List(parts))
            }
            "Fn::If" => {
                let a = self.args(name, arg, 3, 3, "[condition name, value if true, value if false]")?;
                let Some(cond) = a[0].as_str() else {
                    return Err(self.err(a[0].mark, "Fn::If: the first item must be a condition name"));
                };
                if self.condition(cond, a[0].mark)? {
                    self.eval(&a[1])
                } else {
                    self.eval(&a[2])
                }
            }
            "Fn::FindInMap" => self.find_in_map(arg),
            "Fn::GetAZs" => {
                let region = match self.eval(arg)? {
                    None => String::new(),
                    Some(n) if n.value == Value::Null => String::new(),
                    Some(n) => n.scalar_text().ok_or_else(|| self.err(arg.mark, "Fn::GetAZs expects a region name or \"\""))?,
                };
                let region = if region.is_empty() {
                    self.pseudo_text("AWS::Region")
                } else {
                    region
                };
                at(Value::List(
                    ["a", "b", "c", "d", "e", "f"]
                        .iter()
                        .map(|z| Node::new(Value::String(format!("{region}{z}")), mark))
                        .collect(),
                ))
            }
            "Fn::Cidr" => {
                let a = self.args(name, arg, 3, 3, "[ipBlock, count, cidrBits]")?;
                let block = self.text(&a[0], "Fn::Cidr ipBlock")?;
                let count = self.value(&a[1], "Fn::Cidr count")?;
                let bits = self.value(&a[2], "Fn::Cidr cidrBits")?;
                let (Some(count), Some(bits)) = (count.as_u64(), bits.as_u64()) else {
                    return Err(self.err(mark, "Fn::Cidr count and cidrBits must be whole numbers"));
                };
                let subnets = cidr::subnets(&block, count, bits).map_err(|m| self.err(mark, format!("Fn::Cidr: {m}")))?;
                at(Value::List(
                    subnets
                        .into_iter()
                        .map(|s| Node::new(Value::String(s), mark))
                        .collect(),
                ))
            }
            "Fn::Base64" => {
                let s = self.text(arg, "Fn::Base64")?;
                at(Value::String(base64(s.as_bytes())))
            }
            "Fn::Length" => {
                let items = self.list(arg, "Fn::Length")?;
                at(Value::Number((items.len() as u64).into()))
            }
            "Fn::ToJsonString" => {
                let v = self.value(arg, "Fn::ToJsonString")?;
                let mut out = String::new();
                json(&v, &mut out);
                at(Value::String(out))
            }
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                let b = self.boolean_function(name, arg)?;
                at(Value::Bool(b))
            }
            "Fn::ImportValue" => Err(self.err(
                mark,
                "Fn::ImportValue cannot be evaluated without the deployed stack that exports the value; replace it with the value (or a parameter)",
            )),
            "Fn::Transform" => Err(self.err(
                mark,
                "Fn::Transform cannot be evaluated without the deployed macro; expand the macro first (e.g. `aws cloudformation get-template --template-stage Processed`)",
            )),
            _ => Err(self.err(
                mark,
                format!("unknown intrinsic function `{name}` (expected Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap, Fn::GetAZs, Fn::Cidr, Fn::Base64, Fn::Length, Fn::ToJsonString, Fn::Equals, Fn::And, Fn::Or, Fn::Not)"),
            )),
        }
    }

    fn pseudo_text(&self, name: &str) -> String {
        self.stack
            .pseudo_parameter(name)
            .and_then(Node::scalar_text)
            .unwrap_or_default()
    }

    /// `Ref`: a parameter's value, a pseudo-parameter, a resource (→ [`Value::ResourceRef`]).
    fn reference(&mut self, arg: &Node, mark: Mark) -> Evaluated {
        let Some(name) = arg.as_str() else {
            return Err(self.err(
                arg.mark,
                "Ref expects the name of a parameter or a resource",
            ));
        };
        if name == "AWS::NoValue" {
            return Ok(None);
        }
        if let Some(p) = self.stack.parameters.iter().find(|p| p.name == name) {
            return Ok(Some(Node::new(p.value.value.clone(), mark)));
        }
        if let Some(v) = self.stack.pseudo_parameter(name) {
            return Ok(Some(Node::new(v.value.clone(), mark)));
        }
        self.resource(name, mark)?;
        Ok(Some(Node::new(Value::ResourceRef(name.to_string()), mark)))
    }

    /// Checks that resource `id` exists and is created.
    fn resource(&self, id: &str, mark: Mark) -> Result<(), ImportError> {
        if self.stack.resources.iter().any(|r| r.logical_id == id) {
            return Ok(());
        }
        if let Some((_, cond)) = self.stack.left_out.iter().find(|(r, _)| r == id) {
            return Err(self.err(
                mark,
                format!("refers to resource `{id}`, which is not created (its condition `{cond}` is false)"),
            ));
        }
        if self.pending.is_some() {
            return Err(self.err(
                mark,
                format!("`{id}`: a condition can refer to parameters and mappings only (no such parameter)"),
            ));
        }
        let mut names: Vec<&str> = self
            .stack
            .parameters
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        names.extend(self.stack.resources.iter().map(|r| r.logical_id.as_str()));
        Err(self.err(
            mark,
            format!(
                "`{id}` is neither a parameter, a pseudo-parameter nor a resource of this template (known: {})",
                names.join(", ")
            ),
        ))
    }

    /// `Fn::GetAtt [LogicalId, Attribute]` (or `"LogicalId.Attribute"`) → [`Value::ResourceAttr`].
    fn get_att(&mut self, arg: &Node, mark: Mark) -> Evaluated {
        let (id, attr) = match &arg.value {
            Value::String(s) => match s.split_once('.') {
                Some((id, attr)) => (id.to_string(), attr.to_string()),
                None => {
                    return Err(self.err(arg.mark, "Fn::GetAtt expects [LogicalId, Attribute]"));
                }
            },
            Value::List(items) if items.len() == 2 => {
                let Some(id) = items[0].as_str() else {
                    return Err(self.err(
                        items[0].mark,
                        "Fn::GetAtt: the first item must be a logical id",
                    ));
                };
                let attr = self.text(&items[1], "Fn::GetAtt attribute")?;
                (id.to_string(), attr)
            }
            _ => return Err(self.err(arg.mark, "Fn::GetAtt expects [LogicalId, Attribute]")),
        };
        self.resource(&id, mark)?;
        Ok(Some(Node::new(Value::ResourceAttr(id, attr), mark)))
    }

    /// `Fn::Sub "text ${Var}"` or `Fn::Sub ["text ${Var}", {Var: value}]`.
    fn sub(&mut self, arg: &Node) -> Result<String, ImportError> {
        let (template, vars): (&Node, &[(String, Node)]) =
            match &arg.value {
                Value::String(_) => (arg, &[]),
                Value::List(items) if items.len() == 2 => match items[1].as_map() {
                    Some(vars) => (&items[0], vars),
                    None => return Err(self.err(
                        items[1].mark,
                        "Fn::Sub: the second item must be a mapping of variable names to values",
                    )),
                },
                _ => {
                    return Err(self.err(
                        arg.mark,
                        "Fn::Sub expects a string or [string, {variables}]",
                    ));
                }
            };
        let Some(text) = template.as_str() else {
            return Err(self.err(template.mark, "Fn::Sub: the text must be a string"));
        };
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            if let Some(literal) = after.strip_prefix('!') {
                out.push_str("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                return Err(self.err(
                    template.mark,
                    format!("Fn::Sub: `${{` without a closing `}}` in `{text}`"),
                ));
            };
            let var = after[..end].trim();
            rest = &after[end + 1..];
            let value = self.sub_variable(var, vars, template.mark)?;
            out.push_str(&value);
        }
        out.push_str(rest);
        Ok(out)
    }

    fn sub_variable(
        &mut self,
        var: &str,
        vars: &[(String, Node)],
        mark: Mark,
    ) -> Result<String, ImportError> {
        if let Some((_, node)) = vars.iter().find(|(k, _)| k == var) {
            return self.text(node, &format!("Fn::Sub variable `{var}`"));
        }
        let param = self
            .stack
            .parameters
            .iter()
            .find(|p| p.name == var)
            .map(|p| &p.value)
            .or_else(|| self.stack.pseudo_parameter(var));
        if let Some(v) = param {
            return v.scalar_text().ok_or_else(|| {
                self.err(
                    mark,
                    format!("Fn::Sub: `${{{var}}}` is a list; use Fn::Join to make it a string"),
                )
            });
        }
        let (id, attr) = match var.split_once('.') {
            Some((id, attr)) => (id, Some(attr)),
            None => (var, None),
        };
        if self.stack.resources.iter().any(|r| r.logical_id == id)
            || self.stack.left_out.iter().any(|(r, _)| r == id)
        {
            self.resource(id, mark)?;
            let v = match attr {
                Some(a) => Value::ResourceAttr(id.to_string(), a.to_string()),
                None => Value::ResourceRef(id.to_string()),
            };
            return Ok(stand_in(&v).unwrap_or_default());
        }
        Err(self.err(
            mark,
            format!("Fn::Sub: `${{{var}}}` is neither a variable, a parameter, a pseudo-parameter nor a resource"),
        ))
    }

    /// `Fn::FindInMap [MapName, TopLevelKey, SecondLevelKey, {DefaultValue: v}?]`.
    fn find_in_map(&mut self, arg: &Node) -> Evaluated {
        let a = self.args(
            "Fn::FindInMap",
            arg,
            3,
            4,
            "[MapName, TopLevelKey, SecondLevelKey] (and optionally {DefaultValue: value})",
        )?;
        let map = self.text(&a[0], "Fn::FindInMap map name")?;
        let top = self.text(&a[1], "Fn::FindInMap top-level key")?;
        let second = self.text(&a[2], "Fn::FindInMap second-level key")?;
        let default = match a.get(3) {
            None => None,
            Some(d) => match d.get("DefaultValue") {
                Some(v) => Some(v),
                None => {
                    return Err(self.err(
                        d.mark,
                        "Fn::FindInMap: the fourth item must be {DefaultValue: value}",
                    ));
                }
            },
        };
        let found = self
            .stack
            .mappings
            .as_ref()
            .and_then(|m| m.get(&map))
            .map(|m| (m, m.get(&top)))
            .map(|(m, t)| (m, t, t.and_then(|t| t.get(&second))));
        if let Some((_, _, Some(v))) = found {
            return self.eval(v);
        }
        if let Some(d) = default {
            return self.eval(d);
        }
        match found {
            None => Err(self.err(
                arg.mark,
                format!("Fn::FindInMap: the template has no mapping `{map}` in Mappings"),
            )),
            Some((m, None, _)) => Err(self.err(
                arg.mark,
                format!(
                    "Fn::FindInMap: mapping `{map}` has no key `{top}` (its keys: {})",
                    keys(m)
                ),
            )),
            Some((_, Some(t), _)) => Err(self.err(
                arg.mark,
                format!(
                    "Fn::FindInMap: `{map}.{top}` has no key `{second}` (its keys: {})",
                    keys(t)
                ),
            )),
        }
    }

    /// `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`.
    fn boolean_function(&mut self, name: &str, arg: &Node) -> Result<bool, ImportError> {
        match name {
            "Fn::Equals" => {
                let a = self.args(name, arg, 2, 2, "[value, value]")?;
                let x = self.value(&a[0], "Fn::Equals")?;
                let y = self.value(&a[1], "Fn::Equals")?;
                Ok(same(&x, &y))
            }
            "Fn::Not" => {
                let a = self.args(name, arg, 1, 1, "[condition]")?;
                Ok(!self.operand(&a[0])?)
            }
            _ => {
                let a = self.args(name, arg, 2, 10, "a list of 2 to 10 conditions")?;
                let mut values = Vec::with_capacity(a.len());
                for c in a {
                    values.push(self.operand(c)?);
                }
                Ok(if name == "Fn::And" {
                    values.iter().all(|b| *b)
                } else {
                    values.iter().any(|b| *b)
                })
            }
        }
    }

    /// A condition operand: `{"Condition": Name}` or anything evaluating to true/false.
    fn operand(&mut self, node: &Node) -> Result<bool, ImportError> {
        if let Some([(key, name)]) = node.as_map() {
            if key == "Condition" {
                let Some(name) = name.as_str() else {
                    return Err(self.err(name.mark, "Condition expects a condition name"));
                };
                return self.condition(name, node.mark);
            }
        }
        let v = self.value(node, "condition")?;
        v.as_bool().ok_or_else(|| {
            self.err(node.mark, format!("expected a condition (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition), got {}", describe(&v.value)))
        })
    }

    /// The value of condition `name`, evaluating it now if the stack is being built.
    fn condition(&mut self, name: &str, mark: Mark) -> Result<bool, ImportError> {
        if let Some(b) = self.stack.conditions.get(name) {
            return Ok(*b);
        }
        let Some(p) = self.pending.as_deref_mut() else {
            return Err(self.err(
                mark,
                format!(
                    "condition `{name}` is not defined in Conditions{}",
                    self.stack.defined_conditions()
                ),
            ));
        };
        if let Some(b) = p.state.get(name) {
            return Ok(*b);
        }
        if let Some(pos) = p.visiting.iter().position(|n| n == name) {
            let mut chain = p.visiting[pos..].to_vec();
            chain.push(name.to_string());
            return Err(self.err(
                mark,
                format!(
                    "conditions refer to each other in a cycle: {}",
                    chain.join(" → ")
                ),
            ));
        }
        if p.visiting.len() >= MAX_CONDITION_CHAIN {
            return Err(self.err(
                mark,
                format!("conditions refer to one another more than {MAX_CONDITION_CHAIN} deep"),
            ));
        }
        let defs = p.defs;
        let Some((_, def)) = defs.iter().find(|(n, _)| n == name) else {
            let names: Vec<&str> = defs.iter().map(|(n, _)| n.as_str()).collect();
            return Err(self.err(
                mark,
                format!(
                    "condition `{name}` is not defined in Conditions ({})",
                    if names.is_empty() {
                        "the template defines none".to_string()
                    } else {
                        format!("defined: {}", names.join(", "))
                    }
                ),
            ));
        };
        p.visiting.push(name.to_string());
        let outer = std::mem::replace(&mut self.context, format!("Conditions.{name}"));
        let value = self.operand(def);
        self.context = outer;
        let value = value?;
        if let Some(p) = self.pending.as_deref_mut() {
            p.visiting.pop();
            p.state.insert(name.to_string(), value);
        }
        Ok(value)
    }
}

fn keys(node: &Node) -> String {
    node.as_map()
        .map(|m| {
            m.iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// What a value is, in a user's words.
fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::List(_) => "a list",
        Value::Map(_) => "a mapping",
        Value::ResourceRef(_) | Value::ResourceAttr(..) => "a resource",
    }
}

/// `Fn::Equals`: scalars compare as text (`80` equals `"80"`), lists item by item.
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Map(_), _) | (_, Value::Map(_)) => a.without_marks() == b.without_marks(),
        (Value::Null, Value::Null) => true,
        _ => {
            let text = |n: &Node| n.scalar_text().or_else(|| stand_in(&n.value));
            match (text(a), text(b)) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            }
        }
    }
}

/// Compact JSON of a value, keys in the template's order (a resource as its stand-in string).
fn json(node: &Node, out: &mut String) {
    let string = |s: &str, out: &mut String| out.push_str(&serde_json::Value::from(s).to_string());
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(s, out),
        Value::ResourceRef(_) | Value::ResourceAttr(..) => {
            string(&stand_in(&node.value).unwrap_or_default(), out)
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(k, out);
                out.push(':');
                json(v, out);
            }
            out.push('}');
        }
    }
}

/// Standard Base64 (RFC 4648, with padding), as `Fn::Base64` encodes.
fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    crate::encoding::base64_into(&mut out, bytes);
    out
}
