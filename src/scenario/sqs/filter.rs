//! SNS subscription filter policies on message attributes (`FilterPolicy` with
//! `FilterPolicyScope: MessageAttributes`), read from their JSON into a [`FilterPolicy`].
//!
//! Each key names a message attribute and lists conditions, any of which may match (OR); every
//! key must match (AND). A condition is a string (exact match), a number (numeric equality),
//! or an operator object: `{"anything-but": …}`, `{"prefix": …}`, `{"exists": …}`,
//! `{"numeric": [">=", 10, "<", 20]}`.

use super::super::FieldError;
use super::super::number::readable;
use super::super::path::JsonPath;
use crate::model::sqs::{AttributeMatch, FilterPolicy};
use serde_json::Value;
use std::collections::BTreeMap;

/// Keys a filter policy may have (AWS quota: 5 attribute names per policy).
pub(super) const MAX_KEYS: usize = 5;

/// What a condition may be, for messages.
const ACCEPTED: &str = "a string (exact match), a number (numeric match), {\"anything-but\": \"x\" or [\"x\", …]}, {\"prefix\": \"x\"}, {\"exists\": true or false}, or {\"numeric\": [\">=\", 0, \"<\", 100]} (operators =, <, <=, >, >=)";

/// Reads the `FilterPolicy` written at `at` (keys sorted by name); every problem goes to
/// `errors`. `None` when it has a problem.
pub(super) fn filter_policy(
    raw: &BTreeMap<String, Value>,
    at: &JsonPath,
    errors: &mut Vec<FieldError>,
) -> Option<FilterPolicy> {
    let before = errors.len();
    if raw.is_empty() {
        errors.push(at.error(
            "expected at least one message attribute name with its conditions, e.g. {\"event\": [\"order_placed\"]} (leave FilterPolicy out to receive every message)",
        ));
    }
    if raw.len() > MAX_KEYS {
        errors.push(at.error(format!(
            "expected at most {MAX_KEYS} attribute names in a filter policy (AWS quota), got {}",
            raw.len()
        )));
    }
    let mut conditions = Vec::with_capacity(raw.len());
    for (key, value) in raw {
        let key_at = at.key(key);
        let Value::Array(items) = value else {
            errors.push(key_at.error(format!(
                "expected a list of conditions, any of which may match, e.g. [\"order_placed\"]; each is {ACCEPTED}"
            )));
            continue;
        };
        if items.is_empty() {
            errors.push(key_at.error(format!("expected at least one condition: {ACCEPTED}")));
            continue;
        }
        let mut any_of = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match condition(item, &key_at.index(i)) {
                Ok(c) => any_of.push(c),
                Err(e) => errors.push(e),
            }
        }
        conditions.push((key.clone(), any_of));
    }
    (errors.len() == before).then_some(FilterPolicy { conditions })
}

/// One condition, written at `at`.
fn condition(v: &Value, at: &JsonPath) -> Result<AttributeMatch, FieldError> {
    let wrong = || at.error(format!("expected {ACCEPTED}, got {}", described(v)));
    match v {
        Value::String(s) => Ok(AttributeMatch::Equals(s.clone())),
        Value::Number(n) => {
            let x = n.as_f64().ok_or_else(wrong)?;
            Ok(AttributeMatch::Numeric {
                low: Some((x, true)),
                high: Some((x, true)),
            })
        }
        Value::Object(map) if map.len() == 1 => {
            let (op, arg) = map.iter().next().expect("one entry");
            let op_at = at.key(op);
            match op.as_str() {
                "anything-but" => anything_but(arg, &op_at),
                "prefix" => match arg {
                    Value::String(p) if !p.is_empty() => Ok(AttributeMatch::Prefix(p.clone())),
                    _ => Err(op_at.error(format!(
                        "expected the beginning of a string, e.g. \"eu-\", got {}",
                        described(arg)
                    ))),
                },
                "exists" => match arg {
                    Value::Bool(b) => Ok(AttributeMatch::Exists(*b)),
                    _ => Err(op_at.error(format!(
                        "expected true (the attribute is present) or false (absent), got {}",
                        described(arg)
                    ))),
                },
                "numeric" => numeric(arg, &op_at),
                _ => Err(wrong()),
            }
        }
        _ => Err(wrong()),
    }
}

fn anything_but(arg: &Value, at: &JsonPath) -> Result<AttributeMatch, FieldError> {
    let wrong = |got: &Value| {
        at.error(format!(
            "expected a string or a list of strings the attribute must not be, e.g. [\"refund\", \"test\"], got {}",
            described(got)
        ))
    };
    match arg {
        Value::String(s) => Ok(AttributeMatch::AnythingBut(vec![s.clone()])),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|x| match x {
                Value::String(s) => Ok(s.clone()),
                other => Err(wrong(other)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(AttributeMatch::AnythingBut),
        other => Err(wrong(other)),
    }
}

/// `[op, n]` or `[op, n, op, n]`: at most one lower and one upper bound, `=` alone.
fn numeric(arg: &Value, at: &JsonPath) -> Result<AttributeMatch, FieldError> {
    let shape = || {
        at.error(format!(
            "expected an operator and a number, or a lower and an upper bound, e.g. [\"=\", 5], [\">\", 0, \"<=\", 100] (operators =, <, <=, >, >=), got {}",
            described(arg)
        ))
    };
    let Value::Array(items) = arg else {
        return Err(shape());
    };
    if items.len() != 2 && items.len() != 4 {
        return Err(shape());
    }
    let (mut low, mut high) = (None, None);
    for (k, pair) in items.chunks(2).enumerate() {
        let (Value::String(op), Value::Number(n)) = (&pair[0], &pair[1]) else {
            return Err(shape());
        };
        let x = n.as_f64().ok_or_else(shape)?;
        let op_at = at.index(2 * k);
        let slot = match op.as_str() {
            "=" if items.len() == 2 => {
                return Ok(AttributeMatch::Numeric {
                    low: Some((x, true)),
                    high: Some((x, true)),
                });
            }
            "=" => {
                return Err(
                    op_at.error("expected \"=\" alone, as [\"=\", 5] (a range uses <, <=, >, >=)")
                );
            }
            ">" | ">=" => &mut low,
            "<" | "<=" => &mut high,
            other => {
                return Err(op_at.error(format!(
                    "expected one of the operators \"=\", \"<\", \"<=\", \">\", \">=\", got {other:?}"
                )));
            }
        };
        if slot.is_some() {
            return Err(op_at.error(
                "expected at most one lower bound (> or >=) and one upper bound (< or <=)",
            ));
        }
        *slot = Some((x, op.len() == 2));
    }
    if let (Some((lo, lo_in)), Some((hi, hi_in))) = (low, high) {
        if lo > hi || (lo == hi && !(lo_in && hi_in)) {
            return Err(at.error(format!(
                "expected a lower bound below the upper bound, got {} and {}: no number matches",
                readable(lo),
                readable(hi)
            )));
        }
    }
    Ok(AttributeMatch::Numeric { low, high })
}

/// A JSON value in a message: `"x"`, `5`, `true`, `null`, `an array`, `an object`.
fn described(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<FilterPolicy, Vec<FieldError>> {
        let raw: BTreeMap<String, Value> = serde_json::from_str(json).unwrap();
        let mut errors = Vec::new();
        let at = JsonPath::root().key("FilterPolicy");
        filter_policy(&raw, &at, &mut errors).ok_or(errors)
    }

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_condition_form_reads_as_aws_documents_it() {
        let f = read(
            r#"{"event": ["order_placed", {"prefix": "order_"}], "amount": [{"numeric": [">=", 100, "<", 200]}],
                "region": [{"anything-but": ["test", "dev"]}], "vip": [{"exists": false}], "n": [5]}"#,
        )
        .unwrap();
        let m = |pairs| crate::model::sqs::filter_matches(&f, &attrs(pairs));
        assert!(m(&[
            ("event", "order_x"),
            ("amount", "100"),
            ("region", "eu"),
            ("n", "5.0")
        ]));
        assert!(!m(&[
            ("event", "order_x"),
            ("amount", "200"),
            ("region", "eu"),
            ("n", "5")
        ]));
        assert!(!m(&[
            ("event", "refund"),
            ("amount", "150"),
            ("region", "eu"),
            ("n", "5")
        ]));
        assert!(!m(&[
            ("event", "order_placed"),
            ("amount", "150"),
            ("region", "dev"),
            ("n", "5")
        ]));
        assert!(!m(&[
            ("event", "order_placed"),
            ("amount", "150"),
            ("region", "eu"),
            ("vip", "yes"),
            ("n", "5")
        ]));
        let eq = read(r#"{"n": [{"numeric": ["=", 5]}]}"#).unwrap();
        assert_eq!(
            eq.conditions[0].1,
            vec![AttributeMatch::Numeric {
                low: Some((5.0, true)),
                high: Some((5.0, true))
            }]
        );
        let but = read(r#"{"t": [{"anything-but": "x"}]}"#).unwrap();
        assert_eq!(
            but.conditions[0].1,
            vec![AttributeMatch::AnythingBut(vec!["x".into()])]
        );
    }

    #[test]
    fn a_wrong_condition_names_its_path_and_what_is_accepted() {
        let e = read(r#"{"event": [true], "amount": "x"}"#).unwrap_err();
        let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["FilterPolicy.amount", "FilterPolicy.event[0]"]);
        assert!(e[1].message.contains("{\"prefix\": \"x\"}"), "{:?}", e[1]);
        assert!(e[1].message.ends_with("got true"), "{:?}", e[1]);
        let e = read(r#"{"a": [{"suffix": "x"}]}"#).unwrap_err();
        assert!(e[0].message.contains("anything-but"), "{e:?}");
        let e = read(r#"{"a": [{"numeric": [">", 1, ">", 2]}]}"#).unwrap_err();
        assert_eq!(e[0].path, "FilterPolicy.a[0].numeric[2]");
        assert!(e[0].message.contains("at most one lower bound"), "{e:?}");
        let e = read(r#"{"a": [{"numeric": ["~", 1]}]}"#).unwrap_err();
        assert!(e[0].message.contains("\"~\""), "{e:?}");
        let e = read(r#"{"a": [{"numeric": [">", 5, "<", 1]}]}"#).unwrap_err();
        assert!(e[0].message.contains("no number matches"), "{e:?}");
        let e = read(r#"{"a": [{"numeric": ["=", 5, "<", 9]}]}"#).unwrap_err();
        assert!(e[0].message.contains("\"=\" alone"), "{e:?}");
        let e = read(r#"{"a": [{"exists": "yes"}]}"#).unwrap_err();
        assert_eq!(e[0].path, "FilterPolicy.a[0].exists");
        let e = read(r#"{"a": []}"#).unwrap_err();
        assert!(e[0].message.contains("at least one condition"), "{e:?}");
    }

    #[test]
    fn at_most_five_keys() {
        assert!(read(r#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"]}"#).is_ok());
        let e =
            read(r#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#).unwrap_err();
        assert_eq!(
            e[0].message,
            "expected at most 5 attribute names in a filter policy (AWS quota), got 6"
        );
    }
}
