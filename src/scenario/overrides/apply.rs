//! Putting overrides' values into the model's JSON.

use super::path::{Step, push_step};
use super::{Override, Problem};
use serde_json::{Map, Value};

/// An override that was applied, and where its value went, as error messages print paths
/// (`target_groups[name=web].port` becomes `target_groups[0].port`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The override's position in the list given to [`apply`].
    pub index: usize,
    /// Its path with every selection replaced by the index it found.
    pub at: String,
    /// The path of the object or list it was set in (empty for a key at the top level).
    pub within: String,
}

/// Applies `overrides` to `model`, in order (the last of two with the same path wins).
///
/// Every override that cannot be applied is reported (the others are applied all the same).
pub fn apply(model: &mut Value, overrides: &[Override]) -> Result<Vec<Applied>, Vec<Problem>> {
    let mut applied = Vec::with_capacity(overrides.len());
    let mut problems = Vec::new();
    for (index, o) in overrides.iter().enumerate() {
        match apply_one(model, o) {
            Ok((within, at)) => applied.push(Applied { index, at, within }),
            Err((path, message)) => problems.push(Problem {
                origin: o.origin.clone(),
                path,
                message,
            }),
        }
    }
    if problems.is_empty() {
        Ok(applied)
    } else {
        Err(problems)
    }
}

/// Puts one override's value in place; where it went (the path of what holds it, and its own),
/// or where and why it could not.
fn apply_one(model: &mut Value, o: &Override) -> Result<(String, String), (String, String)> {
    let steps = o.path.steps();
    let mut here = model;
    let mut shown = String::new();
    for (i, step) in steps.iter().enumerate() {
        let next = steps.get(i + 1);
        let position = match step {
            Step::Key(key) => {
                let members = match here {
                    Value::Object(members) => members,
                    other => {
                        return Err(not_a(
                            &shown,
                            "an object",
                            &format!("set {key:?} in"),
                            other,
                        ));
                    }
                };
                let within = shown.clone();
                push_step(&mut shown, step);
                if next.is_none() {
                    members.insert(key.clone(), o.value.clone());
                    return Ok((within, shown));
                }
                here = member_to_step_into(members, key, next, &shown)?;
                continue;
            }
            Step::Index(index) => {
                let list = list_at(here, &shown, step)?;
                if *index >= list.len() {
                    push_step(&mut shown, step);
                    return Err((shown, past_the_end(*index, list.len())));
                }
                *index
            }
            Step::Select { key, value } => {
                let list = list_at(here, &shown, step)?;
                select(list, key, value).map_err(|m| {
                    let mut at = shown.clone();
                    push_step(&mut at, step);
                    (at, m)
                })?
            }
        };
        let within = shown.clone();
        push_step(&mut shown, &Step::Index(position));
        let Value::Array(list) = here else {
            unreachable!("checked to be a list")
        };
        if next.is_none() {
            list[position] = o.value.clone();
            return Ok((within, shown));
        }
        here = &mut list[position];
    }
    unreachable!("a path has at least one step")
}

/// The member `key` to go on into: an absent one is created as an object if a key follows (as
/// an absent key is added); a list cannot be created.
fn member_to_step_into<'v>(
    members: &'v mut Map<String, Value>,
    key: &str,
    next: Option<&Step>,
    shown: &str,
) -> Result<&'v mut Value, (String, String)> {
    let absent = members.get(key).is_none_or(Value::is_null);
    if absent {
        if !matches!(next, Some(Step::Key(_))) {
            return Err((
                shown.to_string(),
                "expected a list to pick an element of, got nothing (the model has no list here)"
                    .into(),
            ));
        }
        members.insert(key.to_string(), Value::Object(Map::new()));
    }
    Ok(members.get_mut(key).expect("present or just added"))
}

/// The list at `here`, about to be stepped into with `step`.
fn list_at<'v>(
    here: &'v mut Value,
    shown: &str,
    step: &Step,
) -> Result<&'v mut Vec<Value>, (String, String)> {
    match here {
        Value::Array(list) => Ok(list),
        other => {
            let mut s = String::new();
            push_step(&mut s, step);
            Err(not_a(
                shown,
                "a list",
                &format!("pick the element {s} of"),
                other,
            ))
        }
    }
}

/// `expected a list to pick the element [0] of, got a number (42)`.
fn not_a(shown: &str, kind: &str, to: &str, got: &Value) -> (String, String) {
    let at = if shown.is_empty() {
        "(top level)".to_string()
    } else {
        shown.to_string()
    };
    (
        at,
        format!("expected {kind} to {to}, got {}", describe(got)),
    )
}

/// `expected an index below 2 (the list has 2 elements), got 5`.
fn past_the_end(index: usize, len: usize) -> String {
    match len {
        0 => format!("expected an index into the list, but it is empty, got {index}"),
        1 => format!("expected the index 0 (the list has 1 element), got {index}"),
        n => format!("expected an index below {n} (the list has {n} elements), got {index}"),
    }
}

/// The position of the one element of `list` whose `key` is `value`.
fn select(list: &[Value], key: &str, value: &str) -> Result<usize, String> {
    let of = |v: &Value| v.as_object().and_then(|m| m.get(key)).map(as_text);
    let found: Vec<usize> = (0..list.len())
        .filter(|&i| of(&list[i]).as_deref() == Some(value))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let known: Vec<String> = list.iter().filter_map(of).collect();
            Err(if known.is_empty() {
                format!(
                    "expected an element with the key {key:?}, but no element of this list has one"
                )
            } else {
                format!(
                    "expected one of the {key}s in this list ({}), got {value:?}",
                    shorten(&known)
                )
            })
        }
        many => Err(format!(
            "expected one element with {key} {value:?}, got {} ({}); pick one by its index",
            many.len(),
            many.iter()
                .map(|i| format!("[{i}]"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A key's value as a selection compares it: strings as they are, numbers and booleans as
/// written in JSON.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// At most ten values, then how many more.
fn shorten(values: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut s = values
        .iter()
        .take(SHOWN)
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > SHOWN {
        s.push_str(&format!(" and {} more", values.len() - SHOWN));
    }
    s
}

/// A JSON value in a user's words: `a number (42)`, `a string ("web")`, `a list of 2`.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) if s.chars().count() > 40 => "a string".into(),
        Value::String(s) => format!("a string ({s:?})"),
        Value::Array(a) => format!("a list of {}", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(model: &mut Value, text: &str) -> Result<String, (String, String)> {
        let o = Override::parse(text).unwrap();
        apply(model, std::slice::from_ref(&o))
            .map(|a| a[0].at.clone())
            .map_err(|p| (p[0].path.clone(), p[0].message.clone()))
    }

    fn model() -> Value {
        json!({
            "seed": 42,
            "name": "m",
            "load_balancer": { "name": "alb" },
            "target_groups": [ { "name": "web", "port": 80 }, { "name": "api", "port": 81 } ],
            "auto_scaling_groups": [ { "AutoScalingGroupName": "g" } ]
        })
    }

    #[test]
    fn values_replace_or_add_at_their_path() {
        let mut m = model();
        set(&mut m, "seed=7").unwrap();
        set(&mut m, "auto_scaling_groups[0].DefaultCooldown=120").unwrap();
        set(
            &mut m,
            r#"load_balancer.attributes."idle_timeout.timeout_seconds"=30"#,
        )
        .unwrap();
        assert_eq!(
            set(&mut m, "target_groups[name=api].port=82").unwrap(),
            "target_groups[1].port"
        );
        assert_eq!(m["seed"], 7);
        assert_eq!(m["auto_scaling_groups"][0]["DefaultCooldown"], 120);
        assert_eq!(
            m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"],
            30
        );
        assert_eq!(m["load_balancer"]["name"], "alb", "siblings kept");
        assert_eq!(m["target_groups"][1]["port"], 82);
        set(&mut m, "target_groups[0]={\"name\":\"w\"}").unwrap();
        assert_eq!(m["target_groups"][0], json!({"name": "w"}));
    }

    #[test]
    fn the_last_of_two_overrides_of_one_path_wins() {
        let mut m = model();
        let both = [
            Override::parse("seed=1").unwrap(),
            Override::parse("seed=2").unwrap(),
        ];
        apply(&mut m, &both).unwrap();
        assert_eq!(m["seed"], 2);
    }

    #[test]
    fn an_index_past_the_end_names_the_path_and_the_length() {
        let mut m = model();
        assert_eq!(
            set(&mut m, "target_groups[2].port=1"),
            Err((
                "target_groups[2]".into(),
                "expected an index below 2 (the list has 2 elements), got 2".into()
            ))
        );
        assert_eq!(
            set(&mut m, "auto_scaling_groups[5].MinSize=1"),
            Err((
                "auto_scaling_groups[5]".into(),
                "expected the index 0 (the list has 1 element), got 5".into()
            ))
        );
        assert_eq!(m, model(), "nothing changed");
    }

    #[test]
    fn stepping_into_a_number_or_a_string_names_where() {
        let mut m = model();
        assert_eq!(
            set(&mut m, "seed.x=1"),
            Err((
                "seed".into(),
                "expected an object to set \"x\" in, got a number (42)".into()
            ))
        );
        assert_eq!(
            set(&mut m, "name[0]=1"),
            Err((
                "name".into(),
                "expected a list to pick the element [0] of, got a string (\"m\")".into()
            ))
        );
        assert_eq!(
            set(&mut m, "load_balancer.listeners[0].port=1"),
            Err((
                "load_balancer.listeners".into(),
                "expected a list to pick an element of, got nothing (the model has no list here)"
                    .into()
            ))
        );
        assert_eq!(
            set(&mut json!([1]), "a=1"),
            Err((
                "(top level)".into(),
                "expected an object to set \"a\" in, got a list of 1".into()
            ))
        );
    }

    #[test]
    fn a_selection_names_the_values_it_could_have_matched() {
        let mut m = model();
        assert_eq!(
            set(&mut m, "target_groups[name=db].port=1"),
            Err((
                "target_groups[name=db]".into(),
                "expected one of the names in this list (\"web\", \"api\"), got \"db\"".into()
            ))
        );
        assert_eq!(
            set(&mut m, "target_groups[id=x].port=1"),
            Err((
                "target_groups[id=x]".into(),
                "expected an element with the key \"id\", but no element of this list has one"
                    .into()
            ))
        );
        let mut twice = json!({ "l": [ {"az": "a"}, {"az": "b"}, {"az": "a"} ] });
        assert_eq!(
            set(&mut twice, "l[az=a].x=1"),
            Err((
                "l[az=a]".into(),
                "expected one element with az \"a\", got 2 ([0], [2]); pick one by its index"
                    .into()
            ))
        );
        let mut numbers = json!({ "l": [ {"port": 80}, {"port": 81} ] });
        assert_eq!(set(&mut numbers, "l[port=81].x=1").unwrap(), "l[1].x");
    }
}
