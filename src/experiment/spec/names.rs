//! Names of parameters and metrics: identifiers the expressions can use and the tables show.

use crate::experiment::expr::KEYWORDS;
use crate::scenario::FieldError;
use crate::scenario::path::JsonPath;

/// Checks that `name` is an identifier (`[A-Za-z_][A-Za-z0-9_]*`) and not a word of the
/// expression language; `what` says what it names (`a parameter`).
pub(super) fn check_identifier(name: &str, at: &JsonPath, what: &str) -> Result<(), FieldError> {
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let all_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !(first_ok && all_ok) || name.len() > 64 {
        return Err(at.error(format!(
            "expected {what} name of 1–64 letters, digits or '_', not starting with a digit (expressions use it as a variable), got {name:?}"
        )));
    }
    if KEYWORDS.contains(&name) {
        return Err(at.error(format!(
            "{name:?} is a word of the expression language ({}); name {what} otherwise",
            KEYWORDS.join(", ")
        )));
    }
    Ok(())
}

/// The names already taken (parameters, then metrics) and where each was given.
#[derive(Default)]
pub(super) struct Taken(Vec<(String, String)>);

impl Taken {
    /// Takes `name` for the thing at `at`; an error if it is taken already.
    pub(super) fn take(&mut self, name: &str, at: &JsonPath) -> Result<(), FieldError> {
        if let Some((_, first)) = self.0.iter().find(|(n, _)| n == name) {
            return Err(at.error(format!(
                "the name {name:?} is already used at {first}: parameters and metrics need names of their own (they are columns of the tables and variables of the expressions)"
            )));
        }
        self.0.push((name.to_string(), at.to_string()));
        Ok(())
    }
}

/// The metric name of a path: every character that cannot be in an identifier becomes `_`
/// (`latency_ms.p99` is `latency_ms_p99`), with a `_` before a leading digit.
pub(super) fn name_of_path(path: &str) -> String {
    let mut name: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.is_empty() {
        name.insert(0, '_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_path_names() {
        let at = JsonPath::root().key("name");
        assert!(check_identifier("rate_2", &at, "a parameter").is_ok());
        assert!(check_identifier("_x", &at, "a parameter").is_ok());
        for bad in ["2x", "", "a-b", "a b", "é"] {
            assert!(check_identifier(bad, &at, "a parameter").is_err(), "{bad}");
        }
        assert!(
            check_identifier("and", &at, "a parameter")
                .unwrap_err()
                .message
                .contains("word of the expression language")
        );
        assert_eq!(name_of_path("latency_ms.p99"), "latency_ms_p99");
        assert_eq!(
            name_of_path("requests.by_status.502"),
            "requests_by_status_502"
        );
        assert_eq!(
            name_of_path("auto_scaling_groups[name=web].instance_hours"),
            "auto_scaling_groups_name_web__instance_hours"
        );
    }
}
