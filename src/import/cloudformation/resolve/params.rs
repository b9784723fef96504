//! Template parameters (`Default`, `--parameters Key=Value`, types, constraints) and the
//! pseudo-parameters.
//!
//! Types: `String`, `Number` (checked numeric, kept as a number), `List<Number>` (each checked),
//! `CommaDelimitedList` (split on commas, spaces around items trimmed), the AWS-specific types
//! `AWS::EC2::…` / `AWS::SSM::Parameter::…` as strings, `List<AWS::…>` as lists of strings (not
//! checked against an account: there is none).
//!
//! Constraints checked: `AllowedValues`, `MinLength`/`MaxLength` (strings), `MinValue`/`MaxValue`
//! (numbers). `AllowedPattern` is **not** checked (albsim has no regular-expression engine of
//! Java's dialect, which CloudFormation uses); a value CloudFormation would reject for its pattern
//! imports anyway.

use super::{ImportError, Mark, Node, Parameter, Value};
use std::path::Path;

/// The pseudo-parameters and the value each has unless `--parameters NAME=VALUE` overrides it.
/// `AWS::StackName` defaults to the template file's stem, `AWS::StackId` is built from the
/// region, account and stack name; `AWS::Partition` and `AWS::URLSuffix` follow the region
/// (`cn-…` ⇒ `aws-cn`/`amazonaws.com.cn`, `us-gov-…` ⇒ `aws-us-gov`) unless given.
/// `AWS::NoValue` (removes a property) cannot be given.
pub const PSEUDO_PARAMETERS: &[(&str, &str)] = &[
    ("AWS::AccountId", "123456789012"),
    ("AWS::NotificationARNs", ""),
    ("AWS::NoValue", ""),
    ("AWS::Partition", "aws"),
    ("AWS::Region", "us-east-1"),
    (
        "AWS::StackId",
        "arn:aws:cloudformation:us-east-1:123456789012:stack/STACK/00000000-0000-0000-0000-000000000000",
    ),
    ("AWS::StackName", "the template file's stem"),
    ("AWS::URLSuffix", "amazonaws.com"),
];

fn error(file: &Path, mark: Mark, context: String, message: String) -> ImportError {
    ImportError {
        file: file.to_path_buf(),
        mark: Some(mark),
        context: Some(context),
        message,
    }
}

/// The parameters of a template with the values in force.
pub(super) struct Settled {
    /// The template's parameters, in its order.
    pub parameters: Vec<Parameter>,
    /// The pseudo-parameters (name, value), `AWS::NoValue` apart.
    pub pseudo: Vec<(String, Node)>,
}

/// The template's parameters and the pseudo-parameters with the values in force.
pub(super) fn settle(
    section: Option<&Node>,
    file: &Path,
    given: &[(String, String)],
) -> Result<Settled, ImportError> {
    let entries = section.and_then(Node::as_map).unwrap_or(&[]);
    let here = section.map_or(Mark { line: 1, column: 1 }, |s| s.mark);
    for (key, _) in given {
        let known = entries.iter().any(|(n, _)| n == key)
            || (PSEUDO_PARAMETERS.iter().any(|(n, _)| n == key) && key != "AWS::NoValue");
        if !known {
            let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
            return Err(ImportError {
                file: file.to_path_buf(),
                mark: None,
                context: Some("--parameters".to_string()),
                message: format!(
                    "`{key}` is not a parameter of this template ({}; pseudo-parameters such as AWS::Region may be given too)",
                    if names.is_empty() {
                        "it has none".to_string()
                    } else {
                        format!("its parameters: {}", names.join(", "))
                    }
                ),
            });
        }
    }
    let given_value = |name: &str| given.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v);
    let pseudo_error = |message: String| ImportError {
        file: file.to_path_buf(),
        mark: None,
        context: Some("--parameters".to_string()),
        message,
    };
    if let Some(region) = given_value("AWS::Region")
        && !is_region_name(region)
    {
        return Err(pseudo_error(format!(
            "AWS::Region: expected a Region name such as us-east-1, eu-west-2 or us-gov-west-1, got `{region}`"
        )));
    }
    if let Some(account) = given_value("AWS::AccountId")
        && !(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(pseudo_error(format!(
            "AWS::AccountId: expected a 12-digit account number such as 123456789012, got `{account}`"
        )));
    }

    let mut parameters = Vec::with_capacity(entries.len());
    for (name, def) in entries {
        let context = format!("Parameters.{name}");
        if def.as_map().is_none() {
            return Err(error(
                file,
                def.mark,
                context,
                "expected a mapping with Type (and Default)".to_string(),
            ));
        }
        let type_name = match def.get("Type").map(|t| (t.as_str(), t.mark)) {
            Some((Some(t), _)) => t.to_string(),
            Some((None, mark)) => {
                return Err(error(
                    file,
                    mark,
                    context,
                    "Type must be a type name such as String or Number".to_string(),
                ));
            }
            None => {
                return Err(error(
                    file,
                    def.mark,
                    context,
                    "the parameter has no Type".to_string(),
                ));
            }
        };
        let (text, mark, was_given) = match (given_value(name), def.get("Default")) {
            (Some(v), _) => (v.clone(), def.mark, true),
            (None, Some(d)) => match default_text(d) {
                Some(t) => (t, d.mark, false),
                None => {
                    return Err(error(
                        file,
                        d.mark,
                        context,
                        "Default must be a string or a number".to_string(),
                    ));
                }
            },
            (None, None) => {
                return Err(error(
                    file,
                    def.mark,
                    context,
                    format!("the parameter has no Default: give it with --parameters {name}=VALUE"),
                ));
            }
        };
        let source = if was_given {
            format!("--parameters {name}={text}")
        } else {
            format!("Default `{text}`")
        };
        let value = typed(&type_name, &text, mark)
            .map_err(|m| error(file, mark, context.clone(), format!("{source}: {m}")))?;
        check_constraints(def, &type_name, &text, &value)
            .map_err(|m| error(file, mark, context.clone(), format!("{source}: {m}")))?;
        parameters.push(Parameter {
            name: name.clone(),
            value,
            given: was_given,
        });
    }

    let pseudo = pseudo_parameters(file, here, &given_value);
    Ok(Settled { parameters, pseudo })
}

/// A `Default` as text: strings as they are, numbers as written, a list as its items joined
/// by commas (for list types).
fn default_text(d: &Node) -> Option<String> {
    match &d.value {
        Value::List(items) => items
            .iter()
            .map(Node::scalar_text)
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(",")),
        _ => d.scalar_text(),
    }
}

fn number(text: &str, mark: Mark) -> Result<Node, String> {
    let t = text.trim();
    let n = if let Ok(i) = t.parse::<i64>() {
        Some(serde_json::Number::from(i))
    } else {
        t.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
    };
    n.map(|n| Node::new(Value::Number(n), mark))
        .ok_or_else(|| format!("`{text}` is not a number"))
}

/// The value of a parameter of `type_name` given as `text`.
fn typed(type_name: &str, text: &str, mark: Mark) -> Result<Node, String> {
    let items = || -> Vec<&str> {
        if text.is_empty() {
            Vec::new()
        } else {
            text.split(',').map(str::trim).collect()
        }
    };
    match type_name {
        "String" => Ok(Node::new(Value::String(text.to_string()), mark)),
        "Number" => number(text, mark),
        "List<Number>" => items()
            .into_iter()
            .map(|i| number(i, mark))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| Node::new(Value::List(v), mark)),
        "CommaDelimitedList" => Ok(strings(items(), mark)),
        t if t.starts_with("List<AWS::") || t.starts_with("AWS::SSM::Parameter::Value<List<") => {
            Ok(strings(items(), mark))
        }
        t if t.starts_with("AWS::") => Ok(Node::new(Value::String(text.to_string()), mark)),
        t => Err(format!(
            "unknown parameter Type `{t}` (expected String, Number, List<Number>, CommaDelimitedList or an AWS-specific type such as AWS::EC2::VPC::Id)"
        )),
    }
}

fn strings(items: Vec<&str>, mark: Mark) -> Node {
    Node::new(
        Value::List(
            items
                .into_iter()
                .map(|s| Node::new(Value::String(s.to_string()), mark))
                .collect(),
        ),
        mark,
    )
}

/// `AllowedValues`, `MinLength`/`MaxLength`, `MinValue`/`MaxValue` (`AllowedPattern` is not
/// checked).
fn check_constraints(def: &Node, type_name: &str, text: &str, value: &Node) -> Result<(), String> {
    let scalars: Vec<String> = match &value.value {
        Value::List(items) => items.iter().filter_map(Node::scalar_text).collect(),
        _ => vec![text.to_string()],
    };
    if let Some(allowed) = def.get("AllowedValues") {
        let allowed: Vec<String> = match &allowed.value {
            Value::List(items) => items.iter().filter_map(Node::scalar_text).collect(),
            _ => allowed.scalar_text().into_iter().collect(),
        };
        for s in &scalars {
            let ok = allowed.iter().any(|a| {
                a == s
                    || (type_name.contains("Number")
                        && a.parse::<f64>().ok() == s.trim().parse::<f64>().ok()
                        && a.parse::<f64>().is_ok())
            });
            if !ok {
                return Err(format!(
                    "`{s}` is not one of the AllowedValues ({})",
                    allowed.join(", ")
                ));
            }
        }
    }
    let limit = |key: &str| def.get(key).and_then(Node::as_f64);
    if let Some(min) = limit("MinLength") {
        for s in &scalars {
            if (s.chars().count() as f64) < min {
                return Err(format!("`{s}` is shorter than MinLength {min} characters"));
            }
        }
    }
    if let Some(max) = limit("MaxLength") {
        for s in &scalars {
            if (s.chars().count() as f64) > max {
                return Err(format!("`{s}` is longer than MaxLength {max} characters"));
            }
        }
    }
    if type_name.contains("Number") {
        let numbers: Vec<f64> = match &value.value {
            Value::List(items) => items.iter().filter_map(Node::as_f64).collect(),
            _ => value.as_f64().into_iter().collect(),
        };
        for n in numbers {
            if let Some(min) = limit("MinValue") {
                if n < min {
                    return Err(format!("{n} is below MinValue {min}"));
                }
            }
            if let Some(max) = limit("MaxValue") {
                if n > max {
                    return Err(format!("{n} is above MaxValue {max}"));
                }
            }
        }
    }
    Ok(())
}

/// Whether `s` has the shape of an AWS Region name: a two-letter area, one or more words, and a
/// number (`us-east-1`, `ap-southeast-2`, `us-gov-west-1`).
fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let word = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    parts.len() >= 3
        && parts[0].len() == 2
        && word(&parts[0])
        && parts[1..parts.len() - 1].iter().all(word)
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

/// The pseudo-parameters with the defaults of [`PSEUDO_PARAMETERS`] and `--parameters`
/// overrides (`AWS::NoValue` is not among them: it is handled where it is used).
fn pseudo_parameters<'g>(
    file: &Path,
    mark: Mark,
    given: &dyn Fn(&str) -> Option<&'g String>,
) -> Vec<(String, Node)> {
    let text = |name: &str, default: String| given(name).cloned().unwrap_or(default);
    let region = text("AWS::Region", "us-east-1".to_string());
    let (partition, suffix) = if region.starts_with("cn-") {
        ("aws-cn", "amazonaws.com.cn")
    } else if region.starts_with("us-gov-") {
        ("aws-us-gov", "amazonaws.com")
    } else {
        ("aws", "amazonaws.com")
    };
    let partition = text("AWS::Partition", partition.to_string());
    let account = text("AWS::AccountId", "123456789012".to_string());
    let stem = file
        .file_stem()
        .map_or_else(|| "stack".to_string(), |s| s.to_string_lossy().into_owned());
    let stack_name = text("AWS::StackName", stem);
    let stack_id = text(
        "AWS::StackId",
        format!(
            "arn:{partition}:cloudformation:{region}:{account}:stack/{stack_name}/00000000-0000-0000-0000-000000000000"
        ),
    );
    let suffix = text("AWS::URLSuffix", suffix.to_string());
    let string = |s: String| Node::new(Value::String(s), mark);
    let arns = given("AWS::NotificationARNs").map_or_else(Vec::new, |t| {
        t.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| string(s.to_string()))
            .collect()
    });
    vec![
        ("AWS::AccountId".to_string(), string(account)),
        (
            "AWS::NotificationARNs".to_string(),
            Node::new(Value::List(arns), mark),
        ),
        ("AWS::Partition".to_string(), string(partition)),
        ("AWS::Region".to_string(), string(region)),
        ("AWS::StackId".to_string(), string(stack_id)),
        ("AWS::StackName".to_string(), string(stack_name)),
        ("AWS::URLSuffix".to_string(), string(suffix)),
    ]
}
