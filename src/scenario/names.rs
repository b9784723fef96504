//! Which names a model may use, because names end up in folder names and in output files.
//!
//! - The model `name` names the default output folder `output/<name>/`, so it must be a safe
//!   folder name on every system: 1–100 letters, digits, `-`, `_` or `.`, starting with a letter
//!   or digit (so `.`, `..`, `.hidden`, `a/b` and NUL are impossible), not ending in `.` (Windows
//!   drops it) and not a Windows device name (`CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`,
//!   `LPT0`–`LPT9`, in any case, with or without an extension: `nul.txt` is the device too).
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
pub const MODEL_NAME_RULE: &str = "1–100 letters, digits, '-', '_' or '.', starting with a letter or digit, not ending in '.' and not a Windows device name such as CON or NUL (it names the output folder output/<name>/)";

/// Checks the model name: the one rule for what may name the default output folder.
pub fn check_model_name(name: &str, at: &JsonPath) -> Result<(), FieldError> {
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let all_ok = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let len = name.chars().count();
    if !(first_ok && all_ok && len <= MAX_MODEL_NAME) {
        return Err(at.error(format!(
            "expected a model name of {MODEL_NAME_RULE}, got {}",
            shown(name)
        )));
    }
    if name.ends_with('.') {
        return Err(at.error(format!(
            "expected a model name that does not end in '.' (Windows drops a trailing '.' from folder names, so output/<name>/ would be another folder), got {}",
            shown(name)
        )));
    }
    if is_windows_device(name) {
        return Err(at.error(format!(
            "expected a model name that is not a Windows device name (CON, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9, in any case, with or without an extension: such a folder cannot be created on Windows), got {}",
            shown(name)
        )));
    }
    Ok(())
}

/// Whether Windows takes `name` for a device: its part before the first `.` is `CON`, `PRN`,
/// `AUX`, `NUL`, `COM0`–`COM9` or `LPT0`–`LPT9`, in any case.
fn is_windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    match stem.as_bytes() {
        b"CON" | b"PRN" | b"AUX" | b"NUL" => true,
        [b'C', b'O', b'M', d] | [b'L', b'P', b'T', d] => d.is_ascii_digit(),
        _ => false,
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
pub(super) fn shown(name: &str) -> String {
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

    // See: issue 7, defect 1
    #[test]
    fn windows_device_names_and_a_trailing_dot_are_not_safe_folder_names() {
        let at = JsonPath::root().key("name");
        for device in [
            "CON",
            "con",
            "Prn",
            "aux",
            "NUL",
            "nul.txt",
            "NUL.tar.gz",
            "COM1",
            "com9",
            "LPT1",
            "lpt9.log",
            "COM0",
        ] {
            let e = check_model_name(device, &at).unwrap_err();
            assert!(
                e.message
                    .contains("not a Windows device name (CON, PRN, AUX, NUL"),
                "{device:?}: {e:?}"
            );
            assert!(e.message.ends_with(&format!("got {device:?}")), "{e:?}");
        }
        for dotted in ["a.", "run1..", "v1.2."] {
            let e = check_model_name(dotted, &at).unwrap_err();
            assert!(
                e.message.contains("does not end in '.'"),
                "{dotted:?}: {e:?}"
            );
        }
        for fine in [
            "console", "nul-test", "COM10", "LPT", "com", "aux_1", "a.con", "prn2", "x.nul",
        ] {
            assert!(check_model_name(fine, &at).is_ok(), "{fine:?}");
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
