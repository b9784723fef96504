//! Overrides: `path=value` patches applied to the model's JSON before it is read, as
//! `albsim run MODEL --set 'auto_scaling_groups[0].DefaultCooldown=120'` asks.
//!
//! - **Path**: the syntax albsim's error messages print (`clients[1].arrival.rate_per_second`,
//!   `load_balancer.attributes."idle_timeout.timeout_seconds"`); an element of a list may also be
//!   picked by one of its keys, `target_groups[name=web]` or `instances[id=web-1]` (see
//!   [`Step`]).
//! - **Value**: JSON if it reads as JSON (`120`, `true`, `{"distribution":"constant","ms":5}`,
//!   `"text"`), otherwise the text itself as a string (`2h`, `trial-3`). Text that starts like
//!   JSON (`{`, `[` or `"`) but is not JSON is refused, rather than silently taken as a string.
//! - **Applying** ([`apply`]): a key absent from an object is added (objects on the way are
//!   created), so the model's usual checks judge it like a key written in the file; an index past
//!   the end of a list, or a step into a number or a string, is an error naming where. Overrides
//!   apply in order: of two with the same path, the last wins.
//! - **Errors**: a problem that the overrides caused names the override, not the file
//!   (`--set duration=500d: duration: expected a time of at most 366 days…`), see [`LoadError`].
//!
//! `--seed` and `--duration` are overrides too ([`Override::from_option`]); so will a sweep's
//! points be.

mod apply;
mod blame;
mod path;

pub use apply::{Applied, apply};
pub(crate) use blame::read_with;
pub use blame::{LoadError, Problem};
pub use path::{OverridePath, Step};

use serde_json::Value;
use std::fmt;

/// One `path=value` patch of the model, and how the user asked for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    path: OverridePath,
    value: Value,
    /// `--set duration=2h`, `--duration 2h`: names the override in errors.
    origin: String,
    /// The origin is an option that stands for the path (`--duration`): errors at the path
    /// itself need not repeat it.
    origin_names_path: bool,
}

impl Override {
    /// Reads `path=value` as `--set` takes it.
    pub fn parse(text: &str) -> Result<Override, String> {
        let (path, rest) = path::parse_prefix(text).map_err(|m| {
            format!("{m}; expected PATH=VALUE, e.g. auto_scaling_groups[0].DefaultCooldown=120")
        })?;
        let Some(value_text) = rest.strip_prefix('=') else {
            return Err(format!(
                "expected PATH=VALUE, e.g. {path}=120 (there is no '=' after the path)"
            ));
        };
        Ok(Override {
            value: value_from_text(value_text)?,
            path,
            origin: format!("--set {text}"),
            origin_names_path: false,
        })
    }

    /// The override an option stands for: `--duration 2h` sets the top-level `key` `duration`
    /// to `"2h"`; `shown` is the option's value as given.
    pub fn from_option(option: &str, shown: &str, key: &str, value: Value) -> Override {
        Override {
            path: OverridePath::top_level(key),
            value,
            origin: if shown.is_empty() || shown.contains(char::is_whitespace) {
                format!("{option} {shown:?}")
            } else {
                format!("{option} {shown}")
            },
            origin_names_path: true,
        }
    }

    /// The override that puts `value` at `path`, named `origin` in errors (an experiment's
    /// `parameters[1].values[2]`).
    pub fn at(path: OverridePath, value: Value, origin: impl Into<String>) -> Override {
        Override {
            path,
            value,
            origin: origin.into(),
            origin_names_path: false,
        }
    }

    /// Where the value goes.
    pub fn path(&self) -> &OverridePath {
        &self.path
    }

    /// The value put there.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// How the user asked for it, as errors name it: `--set duration=2h`, `--seed 7`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Names the override `origin` in errors instead (a sweep's point, say).
    pub fn with_origin(mut self, origin: impl Into<String>) -> Override {
        self.origin = origin.into();
        self.origin_names_path = false;
        self
    }
}

impl fmt::Display for Override {
    /// `path=value`, the value as compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// JSON if `text` reads as JSON (a key written twice refused, as in model files), otherwise the
/// text as a string; text that starts like JSON but is not is an error.
fn value_from_text(text: &str) -> Result<Value, String> {
    match serde_json::from_str::<super::strict_json::StrictValue>(text) {
        Ok(v) => Ok(v.0),
        Err(e) if text.trim_start().starts_with(['{', '[', '"']) => Err(format!(
            "the value starts like JSON but is not JSON ({e}); quote it for the shell as a whole, e.g. --set 'path={{\"distribution\":\"constant\",\"ms\":5}}'"
        )),
        Err(_) => Ok(Value::String(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_json_if_they_read_as_json_else_text() {
        let value = |t: &str| Override::parse(t).unwrap().value;
        assert_eq!(value("a=120"), json!(120));
        assert_eq!(value("a=true"), json!(true));
        assert_eq!(value("a=1.5"), json!(1.5));
        assert_eq!(
            value(r#"a={"distribution":"constant","ms":5}"#),
            json!({"distribution": "constant", "ms": 5})
        );
        assert_eq!(value(r#"a="120""#), json!("120"));
        assert_eq!(value("a=2h"), json!("2h"));
        assert_eq!(value("a=trial-3"), json!("trial-3"));
        assert_eq!(value("a="), json!(""));
        // The first '=' after the path ends it; the value may hold more.
        assert_eq!(value("a=x=y"), json!("x=y"));
    }

    #[test]
    fn text_that_starts_like_json_must_be_json() {
        for bad in [r#"a={"ms":5"#, r#"a={"ms":1,"ms":2}"#, "a=[1,", r#"a="x"#] {
            let e = Override::parse(bad).unwrap_err();
            assert!(
                e.starts_with("the value starts like JSON but is not JSON ("),
                "{e}"
            );
        }
    }

    #[test]
    fn an_override_needs_a_path_and_an_equals_sign() {
        assert_eq!(
            Override::parse("seed").unwrap_err(),
            "expected PATH=VALUE, e.g. seed=120 (there is no '=' after the path)"
        );
        assert_eq!(
            Override::parse("=5").unwrap_err(),
            "expected a key, got '='; expected PATH=VALUE, e.g. auto_scaling_groups[0].DefaultCooldown=120"
        );
        assert_eq!(
            Override::parse("").unwrap_err(),
            "expected a key, got nothing; expected PATH=VALUE, e.g. auto_scaling_groups[0].DefaultCooldown=120"
        );
    }

    #[test]
    fn an_override_remembers_how_it_was_asked_for() {
        let set = Override::parse("duration=2h").unwrap();
        assert_eq!(set.origin(), "--set duration=2h");
        assert_eq!(set.to_string(), "duration=\"2h\"");
        let option = Override::from_option("--seed", "7", "seed", json!(7));
        assert_eq!(option.origin(), "--seed 7");
        assert_eq!(option.to_string(), "seed=7");
    }
}
