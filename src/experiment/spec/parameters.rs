//! One parameter of the file into its levels: listed values, a range, or named cases.

use super::raw::{RawParameter, RawRange};
use super::sets::{check_overlaps, model_path, overrides_of_set};
use crate::experiment::grid::{self, MAX_RANGE_VALUES};
use crate::experiment::{Level, Parameter};
use crate::scenario::FieldError;
use crate::scenario::overrides::{Override, OverridePath};
use crate::scenario::path::JsonPath;
use serde_json::Value;
use std::path::Path;

/// A resolved parameter and the model paths it sets (with where each is written).
pub(super) struct Resolved {
    pub parameter: Parameter,
    pub paths: Vec<(OverridePath, JsonPath)>,
}

/// Resolves `raw` (written at `at`); `None` if it has problems (added to `errors`).
pub(super) fn resolve(
    file: &Path,
    raw: &RawParameter,
    at: &JsonPath,
    errors: &mut Vec<FieldError>,
) -> Option<Resolved> {
    let before = errors.len();
    let given: Vec<&str> = [
        ("\"path\"", raw.path.is_some()),
        ("\"paths\"", raw.paths.is_some()),
        ("\"cases\"", raw.cases.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, set)| set.then_some(k))
    .collect();
    if given.len() != 1 {
        let got = if given.is_empty() {
            "none".to_string()
        } else {
            given.join(" and ")
        };
        errors.push(at.error(format!(
            "expected exactly one of \"path\" (one model path), \"paths\" (several taking the same value) or \"cases\" (named sets of overrides), got {got}"
        )));
        return None;
    }
    let (levels, paths) = if let Some(cases) = &raw.cases {
        for (key, present) in [
            ("values", raw.values.is_some()),
            ("range", raw.range.is_some()),
        ] {
            if present {
                errors.push(at.key(key).error(format!(
                    "a parameter with \"cases\" takes its levels from them: remove \"{key}\""
                )));
            }
        }
        cases_levels(file, cases, at, errors)
    } else {
        let paths = target_paths(raw, at, errors);
        let values = values_of(raw, at, errors);
        if errors.len() > before {
            return None;
        }
        let levels = values
            .into_iter()
            .map(|(value, value_at, label)| Level {
                overrides: paths
                    .iter()
                    .map(|(p, _)| {
                        let origin = format!("{}: {value_at}", file.display());
                        Override::at(p.clone(), value.clone(), origin)
                    })
                    .collect(),
                label,
                value,
                variant: None,
            })
            .collect();
        (levels, paths)
    };
    if errors.len() > before {
        return None;
    }
    let numeric = levels.iter().all(|l: &Level| l.value.is_number());
    Some(Resolved {
        parameter: Parameter {
            name: raw.name.clone(),
            levels,
            numeric,
        },
        paths,
    })
}

fn cases_levels(
    file: &Path,
    cases: &[super::raw::RawCase],
    at: &JsonPath,
    errors: &mut Vec<FieldError>,
) -> (Vec<Level>, Vec<(OverridePath, JsonPath)>) {
    let at = at.key("cases");
    if cases.is_empty() {
        errors.push(at.error("expected at least one case"));
    }
    let mut levels: Vec<Level> = Vec::new();
    let mut all_paths = Vec::new();
    for (j, case) in cases.iter().enumerate() {
        let case_at = at.index(j);
        if let Err(e) = crate::scenario::names::check_name(&case.name, &case_at.key("name"), "case")
        {
            errors.push(e);
        }
        if let Some(first) = levels.iter().position(|l| l.label == case.name) {
            errors.push(case_at.key("name").error(format!(
                "the case name {:?} is already used by cases[{first}]: each case needs a name of its own",
                case.name
            )));
        }
        let (overrides, paths) = overrides_of_set(file, &case.set, &case_at.key("set"), errors);
        for p in paths {
            if !all_paths.iter().any(|(q, _)| q == &p.0) {
                all_paths.push(p);
            }
        }
        levels.push(Level {
            label: case.name.clone(),
            value: Value::String(case.name.clone()),
            overrides,
            variant: None,
        });
    }
    (levels, all_paths)
}

/// The model paths of `path` or `paths`.
fn target_paths(
    raw: &RawParameter,
    at: &JsonPath,
    errors: &mut Vec<FieldError>,
) -> Vec<(OverridePath, JsonPath)> {
    let written: Vec<(&String, JsonPath)> = match (&raw.path, &raw.paths) {
        (Some(p), _) => vec![(p, at.key("path"))],
        (_, Some(ps)) => {
            if ps.is_empty() {
                errors.push(
                    at.key("paths")
                        .error("expected at least one path into the model"),
                );
            }
            ps.iter()
                .enumerate()
                .map(|(j, p)| (p, at.key("paths").index(j)))
                .collect()
        }
        _ => Vec::new(),
    };
    let mut paths = Vec::new();
    for (text, path_at) in written {
        match model_path(text, &path_at) {
            Ok(p) => paths.push((p, path_at)),
            Err(e) => errors.push(e),
        }
    }
    check_overlaps(&paths, errors);
    paths
}

/// The values of `values` or `range`, each with where it comes from and its label.
fn values_of(
    raw: &RawParameter,
    at: &JsonPath,
    errors: &mut Vec<FieldError>,
) -> Vec<(Value, String, String)> {
    match (&raw.values, &raw.range) {
        (Some(values), None) => listed_values(values, &at.key("values"), errors),
        (None, Some(range)) => range_values(range, &at.key("range"), errors),
        (given_values, _) => {
            let got = if given_values.is_some() {
                "both"
            } else {
                "neither"
            };
            errors.push(at.error(format!(
                "expected exactly one of \"values\" (a list) or \"range\" ({{\"from\", \"to\", \"step\"}} or {{\"from\", \"to\", \"count\", \"scale\": \"log\"}}), got {got}"
            )));
            Vec::new()
        }
    }
}

/// How a value reads in tables: a number as Rust prints it, text as it is, anything else as
/// compact JSON.
fn label_of(value: &Value) -> String {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(x) if n.is_f64() || x.abs() < 9.0e15 => grid::number_label(x),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn listed_values(
    values: &[Value],
    at: &JsonPath,
    errors: &mut Vec<FieldError>,
) -> Vec<(Value, String, String)> {
    if values.is_empty() {
        errors.push(at.error("expected at least one value"));
    }
    if values.len() as u64 > MAX_RANGE_VALUES {
        errors.push(at.error(format!(
            "expected at most {MAX_RANGE_VALUES} values, got {}",
            values.len()
        )));
    }
    let mut out: Vec<(Value, String, String)> = Vec::new();
    for (j, value) in values.iter().enumerate() {
        let label = label_of(value);
        if value.is_null() {
            errors.push(
                at.index(j)
                    .error("expected a value for the model, got null"),
            );
        } else if let Some(first) = out.iter().position(|(_, _, l)| *l == label) {
            errors.push(at.index(j).error(format!(
                "{label} is listed twice (also values[{first}]): each level needs a value of its own"
            )));
        }
        out.push((value.clone(), at.index(j).to_string(), label));
    }
    out
}

fn range_values(
    range: &RawRange,
    at: &JsonPath,
    errors: &mut Vec<FieldError>,
) -> Vec<(Value, String, String)> {
    let before = errors.len();
    let log = match range.scale.as_deref() {
        None | Some("linear") => false,
        Some("log") => true,
        Some(other) => {
            errors.push(
                at.key("scale")
                    .error(format!("expected \"linear\" or \"log\", got {other:?}")),
            );
            return Vec::new();
        }
    };
    if range.to < range.from {
        errors.push(at.key("to").error(format!(
            "expected a number at least \"from\" ({}), got {}",
            range.from, range.to
        )));
    }
    if log {
        for (key, x) in [("from", range.from), ("to", range.to)] {
            if x <= 0.0 {
                errors.push(
                    at.key(key)
                        .error(format!("expected a number > 0 (a log range), got {x}")),
                );
            }
        }
        if range.step.is_some() {
            errors.push(at.key("step").error(
                "a log range takes \"count\" (how many values from \"from\" to \"to\"), not \"step\"",
            ));
        }
        if range.count.is_none() {
            errors.push(at.error(
                "a log range needs \"count\" (how many values from \"from\" to \"to\"), e.g. \"count\": 4",
            ));
        }
    } else if range.step.is_some() == range.count.is_some() {
        errors.push(at.error(
            "expected exactly one of \"step\" (from, from + step, … up to to) or \"count\" (that many values evenly from \"from\" to \"to\")",
        ));
    }
    if let Some(step) = range.step.filter(|s| *s <= 0.0) {
        errors.push(
            at.key("step")
                .error(format!("expected a number > 0, got {step}")),
        );
    }
    if let Some(count) = range.count.filter(|c| !(2..=MAX_RANGE_VALUES).contains(c)) {
        errors.push(at.key("count").error(format!(
            "expected a whole number 2–{MAX_RANGE_VALUES}, got {count}"
        )));
    }
    if errors.len() > before {
        return Vec::new();
    }
    let numbers = match (range.step, range.count) {
        (_, Some(count)) if log => grid::log_by_count(range.from, range.to, count),
        (_, Some(count)) => grid::linear_by_count(range.from, range.to, count),
        (Some(step), None) => match grid::linear_by_step(range.from, range.to, step) {
            Ok(numbers) => numbers,
            Err(m) => {
                errors.push(at.error(m));
                return Vec::new();
            }
        },
        (None, None) => Vec::new(),
    };
    numbers
        .into_iter()
        .map(|x| {
            let label = grid::number_label(x);
            (grid::number_value(x), format!("{at}, value {label}"), label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_read_as_tables_show_them() {
        assert_eq!(label_of(&json!(120)), "120");
        assert_eq!(label_of(&json!(0.5)), "0.5");
        assert_eq!(label_of(&json!(3.0)), "3");
        assert_eq!(label_of(&json!("2h")), "2h");
        assert_eq!(label_of(&json!(true)), "true");
        assert_eq!(
            label_of(&json!({"ms": 5, "distribution": "constant"})),
            r#"{"distribution":"constant","ms":5}"#
        );
        assert_eq!(label_of(&json!(u64::MAX)), "18446744073709551615");
    }

    #[test]
    fn range_values_carry_their_origin_and_whole_numbers() {
        let range = RawRange {
            from: 1.0,
            to: 2.0,
            step: Some(0.5),
            count: None,
            scale: None,
        };
        let mut errors = Vec::new();
        let at = JsonPath::root().key("parameters").index(0).key("range");
        let values = range_values(&range, &at, &mut errors);
        assert!(errors.is_empty());
        let shown: Vec<(String, String, String)> = values
            .into_iter()
            .map(|(v, o, l)| (v.to_string(), o, l))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "1".into(),
                    "parameters[0].range, value 1".into(),
                    "1".into()
                ),
                (
                    "1.5".into(),
                    "parameters[0].range, value 1.5".into(),
                    "1.5".into()
                ),
                (
                    "2".into(),
                    "parameters[0].range, value 2".into(),
                    "2".into()
                )
            ]
        );
    }
}
