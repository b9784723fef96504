//! "The model": the settings that matter, as the run used them (defaults filled in), under
//! their AWS names. A value the model file left out is marked "(default)": it is AWS's default
//! (or, for albsim's own settings, albsim's stated one).

mod alarms;
mod balancer;
mod fleet;
mod messaging;

use super::format::{Clock, duration};
use crate::report::document::{Block, Section, Text};
use crate::report::folder::RunFolder;
use serde_json::Value;

/// The "The model" section.
pub fn section(f: &RunFolder) -> Section {
    let s = &f.model;
    let raw: Value = serde_json::from_str(&f.model_json).unwrap_or(Value::Null);
    let given = Given(Some(&raw));
    let clock = Clock::for_run(s.duration.as_secs_f64());
    let mut blocks = vec![Block::Pairs(vec![
        ("Simulated time".into(), Text::plain(duration(s.duration))),
        (
            "Seed".into(),
            setting(s.seed.to_string(), given.has("seed")),
        ),
        (
            "Metric period".into(),
            setting(duration(s.period), given.at("metrics").has("period")),
        ),
        (
            "Load ends".into(),
            Text::plain(match s.load_ends {
                Some(t) if t > s.duration => {
                    format!("at {} (after the run's end)", clock.at(t.as_secs_f64()))
                }
                Some(t) => format!("at {}", clock.at(t.as_secs_f64())),
                None => "never (steady or closed-loop load)".into(),
            }),
        ),
    ])];
    blocks.extend(balancer::blocks(s, &given, clock));
    blocks.extend(fleet::blocks(s, &given, clock));
    blocks.extend(alarms::blocks(s, clock));
    blocks.extend(messaging::blocks(s, &given, clock));
    if !s.warnings.is_empty() {
        blocks.push(Block::Heading("Warnings".into()));
        blocks.push(Block::Bullets(
            s.warnings
                .iter()
                .map(|w| Text::code(w.path.clone()).and(format!(": {}", w.message)))
                .collect(),
        ));
    }
    Section {
        id: "model".into(),
        title: "The model".into(),
        blocks,
    }
}

/// Where a setting sits in the model file as run (`model.json`), to tell a value written there
/// from a default.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Given<'a>(Option<&'a Value>);

impl<'a> Given<'a> {
    /// The object under `key`.
    pub(crate) fn at(self, key: &str) -> Given<'a> {
        Given(self.0.and_then(|v| v.get(key)))
    }

    /// The element of the list under `list` whose `key` is `name`.
    pub(crate) fn find(self, list: &str, key: &str, name: &str) -> Given<'a> {
        Given(
            self.0
                .and_then(|v| v.get(list))
                .and_then(Value::as_array)
                .and_then(|items| {
                    items
                        .iter()
                        .find(|i| i.get(key).and_then(Value::as_str) == Some(name))
                }),
        )
    }

    /// Whether the model file sets `key` here.
    pub(crate) fn has(self, key: &str) -> bool {
        self.0
            .and_then(|v| v.get(key))
            .is_some_and(|v| !v.is_null())
    }
}

/// A setting's value, with "(default)" after it when the model file left it out.
pub(crate) fn setting(value: impl Into<String>, given: bool) -> Text {
    let t = Text::plain(value);
    if given { t } else { t.and(" (default)") }
}

/// A setting under its AWS name in code type (`HealthCheckPath`), and its value.
pub(crate) fn pair(name: &str, value: Text) -> (String, Text) {
    (name.to_string(), value)
}

/// `true` / `false` as AWS writes booleans.
pub(crate) fn flag(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_tells_written_values_from_defaults() {
        let raw: Value = serde_json::json!({
            "seed": 7,
            "target_groups": [{"name": "web", "health_check": {"HealthCheckPath": "/health"}}]
        });
        let g = Given(Some(&raw));
        assert!(g.has("seed"));
        assert!(!g.has("duration"));
        let tg = g.find("target_groups", "name", "web").at("health_check");
        assert!(tg.has("HealthCheckPath"));
        assert!(!tg.has("HealthCheckIntervalSeconds"));
        assert!(!g.find("target_groups", "name", "api").has("name"));
        assert_eq!(setting("30", false).to_plain(), "30 (default)");
        assert_eq!(setting("10", true).to_plain(), "10");
    }
}
