//! "Reproduce": the command that runs this run again, and the folder's `model.json` that runs
//! the same model even after the model file changed.

use super::format::shell_word;
use crate::report::document::{Block, Section, Text};
use crate::report::folder::RunFolder;
use crate::report::output::{Manifest, ManifestOverride};
use serde_json::Value;

/// The "Reproduce" section.
pub fn section(f: &RunFolder) -> Section {
    let m = &f.manifest;
    let model_json = f.folder.join(crate::report::output::files::MODEL_FILE);
    Section {
        id: "reproduce".into(),
        title: "Reproduce".into(),
        blocks: vec![
            Block::Paragraph(Text::plain(
                "The same albsim, model file and seed give the same results, to the byte (wall time aside). This run was:",
            )),
            Block::Code(command(m)),
            Block::Pairs(vec![
                ("Model file".into(), Text::code(m.model_file.clone())),
                ("Seed".into(), Text::plain(m.seed.to_string())),
                ("albsim version".into(), Text::plain(m.albsim_version.clone())),
            ]),
            Block::Paragraph(
                Text::plain("The folder's ")
                    .and_code("model.json")
                    .and(" holds the model as run, overrides applied, so this runs the very same model even if the model file has changed since:"),
            ),
            Block::Code(format!(
                "albsim run {}",
                shell_word(&model_json.display().to_string())
            )),
        ],
    }
}

/// `albsim run MODEL_FILE` and each override as it was given, in order, quoted for a POSIX shell.
pub fn command(m: &Manifest) -> String {
    let mut words = vec![
        "albsim".to_string(),
        "run".to_string(),
        shell_word(&m.model_file),
    ];
    for o in &m.overrides {
        words.extend(override_words(o).iter().map(|w| shell_word(w)));
    }
    words.join(" ")
}

/// The command-line words of one override: its option and value as given (`--seed`, `7`), or
/// for an override that no option gave (a sweep point's), the `--set PATH=VALUE` that does the
/// same.
fn override_words(o: &ManifestOverride) -> Vec<String> {
    let option_and_value = o
        .given_as
        .strip_prefix("--")
        .and_then(|rest| rest.split_once(' '))
        .filter(|(option, _)| !option.is_empty());
    if let Some((option, value)) = option_and_value {
        // An option's value with spaces was recorded quoted (`--duration "2 h"`).
        let value = if value.starts_with('"') {
            serde_json::from_str::<String>(value).unwrap_or_else(|_| value.to_string())
        } else {
            value.to_string()
        };
        return vec![format!("--{option}"), value];
    }
    vec![
        "--set".into(),
        format!("{}={}", o.path, value_text(&o.value)),
    ]
}

/// A value as `--set` reads it back: a string as itself when it would not read as JSON,
/// anything else as compact JSON.
fn value_text(v: &Value) -> String {
    if let Value::String(s) = v {
        let looks_like_json = s.starts_with(['{', '[', '"'])
            || serde_json::from_str::<Value>(s).is_ok()
            || s.trim() != s;
        if !looks_like_json && !s.is_empty() {
            return s.clone();
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(file: &str, overrides: &[(&str, Value, &str)]) -> Manifest {
        let mut m = Manifest::for_run(std::path::Path::new(file), "m", 7);
        m.overrides = overrides
            .iter()
            .map(|(path, value, given_as)| ManifestOverride {
                path: path.to_string(),
                value: value.clone(),
                given_as: given_as.to_string(),
            })
            .collect();
        m
    }

    #[test]
    fn the_command_repeats_the_overrides_in_order() {
        let m = manifest(
            "models/quickstart.json",
            &[
                ("duration", "5m".into(), "--set duration=5m"),
                ("seed", 7.into(), "--seed 7"),
                (
                    "auto_scaling_groups[0].DefaultCooldown",
                    120.into(),
                    "--set auto_scaling_groups[0].DefaultCooldown=120",
                ),
            ],
        );
        assert_eq!(
            command(&m),
            "albsim run models/quickstart.json --set duration=5m --seed 7 --set 'auto_scaling_groups[0].DefaultCooldown=120'"
        );
    }

    #[test]
    fn values_with_spaces_and_quotes_are_quoted_for_the_shell() {
        let m = manifest(
            "my models/it's.json",
            &[
                ("duration", "2 h".into(), "--duration \"2 h\""),
                ("description", "a b".into(), "--set description=a b"),
            ],
        );
        assert_eq!(
            command(&m),
            r"albsim run 'my models/it'\''s.json' --duration '2 h' --set 'description=a b'"
        );
    }

    #[test]
    fn a_sweep_point_becomes_a_set() {
        let m = manifest(
            "m.json",
            &[
                (
                    "queues[0].VisibilityTimeout",
                    60.into(),
                    "parameters[0].values[1]",
                ),
                ("duration", "10m".into(), "parameters[1].values[0]"),
                ("name", "120".into(), "parameters[2].values[0]"),
            ],
        );
        assert_eq!(
            command(&m),
            r#"albsim run m.json --set 'queues[0].VisibilityTimeout=60' --set duration=10m --set 'name="120"'"#
        );
    }
}
