//! Which names a model may use, because names end up in folder names and in output files.
//!
//! - The model `name` names the default output folder `output/<name>/`, so it must be a safe
//!   folder name on every system: 1–100 letters, digits, `-`, `_` or `.`, starting with a letter
//!   or digit (so `.`, `..`, `.hidden`, `a/b` and NUL are impossible).
//! - Every other name (instance ids, target groups, Auto Scaling groups, alarms, policies,
//!   clients…) appears in `timeseries.csv` column headers, `summary.json` and `activity.log`: it
//!   must be 1–255 characters without control characters, commas or double quotes (which would
//!   break the CSV header).

use super::FieldError;
use super::path::JsonPath;

/// Longest model name.
pub const MAX_MODEL_NAME: usize = 100;

/// Longest other name (AWS's limit for Auto Scaling group and alarm names).
pub const MAX_NAME: usize = 255;

/// The allowed model names, for messages.
pub const MODEL_NAME_RULE: &str = "1–100 letters, digits, '-', '_' or '.', starting with a letter or digit (it names the output folder output/<name>/)";

/// Checks the model name.
pub fn check_model_name(name: &str, at: &JsonPath) -> Result<(), FieldError> {
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let all_ok = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let len = name.chars().count();
    if first_ok && all_ok && len <= MAX_MODEL_NAME {
        Ok(())
    } else {
        Err(at.error(format!(
            "expected a model name of {MODEL_NAME_RULE}, got {}",
            shown(name)
        )))
    }
}

/// Checks a name that is written into output files; `what` says what it names.
pub fn check_name(name: &str, at: &JsonPath, what: &str) -> Result<(), FieldError> {
    let len = name.chars().count();
    let bad = name
        .chars()
        .find(|c| c.is_control() || matches!(c, ',' | '"'));
    let a = if what.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    if name.trim().is_empty() {
        return Err(at.error(format!(
            "expected {a} {what} of 1–{MAX_NAME} characters, got {}",
            shown(name)
        )));
    }
    if len > MAX_NAME {
        return Err(at.error(format!(
            "expected {a} {what} of at most {MAX_NAME} characters, got {len}"
        )));
    }
    if let Some(c) = bad {
        return Err(at.error(format!(
            "expected {a} {what} without control characters, commas or double quotes (it is written into timeseries.csv and activity.log), got {} (contains {c:?})",
            shown(name)
        )));
    }
    Ok(())
}

/// A name as shown in a message: quoted, escaped, and cut if long.
fn shown(name: &str) -> String {
    let len = name.chars().count();
    if len > 40 {
        let head: String = name.chars().take(37).collect();
        format!("{head:?}… ({len} characters)")
    } else {
        format!("{name:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // See: issue 7, defect 1
    #[test]
    fn model_names_that_are_not_safe_folder_names_are_rejected() {
        let at = JsonPath::root().key("name");
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "a/b",
            "a\\b",
            "nul\0byte",
            "-dash",
            "sp ace",
            &"x".repeat(101),
        ] {
            let e = check_model_name(bad, &at).unwrap_err();
            assert!(e.message.contains("letters, digits"), "{bad:?}: {e:?}");
        }
        for good in ["quickstart", "a", "v1.2_test-3", &"x".repeat(100)] {
            assert!(check_model_name(good, &at).is_ok(), "{good:?}");
        }
    }

    // See: issue 7, defect 6
    #[test]
    fn names_written_into_files_have_no_control_characters_or_commas() {
        let at = JsonPath::root().key("instances").index(0).key("id");
        for bad in ["", "  ", "a\0b", "a\nb", "a,b", "a\"b", &"x".repeat(256)] {
            assert!(check_name(bad, &at, "instance id").is_err(), "{bad:?}");
        }
        assert!(check_name("i-0abc 1/x", &at, "instance id").is_ok());
        let e = check_name(&"y".repeat(300), &at, "instance id").unwrap_err();
        assert!(e.message.contains("at most 255"), "{e:?}");
    }
}
