//! The path of an override, in the syntax albsim's error messages print:
//! `auto_scaling_groups[0].DefaultCooldown`, `load_balancer.attributes."idle_timeout.timeout_seconds"`,
//! and, to pick a list element by one of its keys, `target_groups[name=web]`.

use std::fmt;

/// One step from a JSON value to one inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The member of an object: `.DefaultCooldown`, `."idle_timeout.timeout_seconds"`.
    Key(String),
    /// The element of a list at a position: `[0]`.
    Index(usize),
    /// The one element of a list whose `key` is `value`: `[name=web]`, `[id=i-1]`.
    Select {
        /// The key compared (`name`, `id`, `AutoScalingGroupName`…).
        key: String,
        /// The value it must have, as written (compared with strings and numbers).
        value: String,
    },
}

/// Where an override puts its value, from the top of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverridePath(Vec<Step>);

impl OverridePath {
    /// The member `key` of the model's top-level object: `seed`.
    pub fn top_level(key: &str) -> OverridePath {
        OverridePath(vec![Step::Key(key.to_string())])
    }

    /// The steps, from the top of the model.
    pub fn steps(&self) -> &[Step] {
        &self.0
    }

    /// Reads a whole path (`auto_scaling_groups[0].DefaultCooldown`), as experiment files and
    /// metric paths write them: nothing may follow it.
    pub fn parse(text: &str) -> Result<OverridePath, String> {
        match parse_prefix(text)? {
            (path, "") => Ok(path),
            (_, rest) => Err(format!(
                "expected a path alone, e.g. auto_scaling_groups[0].DefaultCooldown; '{}' follows it",
                rest
            )),
        }
    }
}

/// Reads a path from the start of `text`, up to the `=` that ends it (outside quotes and
/// brackets); returns the path and the rest of `text` (starting at that `=`, or empty).
pub(super) fn parse_prefix(text: &str) -> Result<(OverridePath, &str), String> {
    let mut steps = Vec::new();
    let mut rest = text;
    loop {
        let (key, after) = key(rest).map_err(|m| at(text, rest, &m))?;
        steps.push(Step::Key(key));
        rest = after;
        while let Some(inside) = rest.strip_prefix('[') {
            let (step, after) = bracket(inside).map_err(|m| at(text, rest, &m))?;
            steps.push(step);
            rest = after;
        }
        match rest.chars().next() {
            Some('.') => rest = &rest[1..],
            None | Some('=') => return Ok((OverridePath(steps), rest)),
            Some(c) => {
                return Err(at(
                    text,
                    rest,
                    &format!("expected '.', '[' or '=' after a key, got {c:?}"),
                ));
            }
        }
    }
}

/// `what` at the position of `rest` within `text`.
fn at(text: &str, rest: &str, what: &str) -> String {
    let done = &text[..text.len() - rest.len()];
    if done.is_empty() {
        what.to_string()
    } else {
        format!("{what} (after {done:?})")
    }
}

/// A key: bare (`DefaultCooldown`) or quoted (`"idle_timeout.timeout_seconds"`).
fn key(text: &str) -> Result<(String, &str), String> {
    if let Some(quoted) = text.strip_prefix('"') {
        let Some(end) = quoted.find('"') else {
            return Err("a quoted key has no closing '\"'".into());
        };
        return Ok((quoted[..end].to_string(), &quoted[end + 1..]));
    }
    let end = text.find(['.', '[', ']', '=', '"']).unwrap_or(text.len());
    if end == 0 {
        return Err(match text.chars().next() {
            None => "expected a key, got nothing".to_string(),
            Some(c) => format!("expected a key, got {c:?}"),
        });
    }
    Ok((text[..end].to_string(), &text[end..]))
}

/// What is inside `[…]` (the `[` already read): an index or `key=value`; returns the rest
/// after the `]`.
fn bracket(text: &str) -> Result<(Step, &str), String> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if digits > 0 && text[digits..].starts_with(']') {
        let index = text[..digits]
            .parse::<usize>()
            .map_err(|_| format!("the index {} is too large", &text[..digits]))?;
        return Ok((Step::Index(index), &text[digits + 1..]));
    }
    let (key, rest) = key(text).map_err(|m| {
        format!("{m} in '[…]': expected an index ([0]) or a key and its value ([name=web])")
    })?;
    let Some(rest) = rest.strip_prefix('=') else {
        return Err(format!(
            "expected an index ([0]) or a key and its value ([name=web]), got [{key}…"
        ));
    };
    let (value, rest) = if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted
            .find('"')
            .ok_or("a quoted value in '[…]' has no closing '\"'")?;
        (&quoted[..end], &quoted[end + 1..])
    } else {
        let end = rest.find(']').unwrap_or(rest.len());
        if rest[..end].contains('"') {
            // A value cannot hold a '"': quoted, it would end there; bare, it could not be printed
            // back so that it reads the same.
            return Err(format!(
                "a value in '[…]' cannot contain '\"' (got [{key}={}])",
                &rest[..end]
            ));
        }
        (&rest[..end], &rest[end..])
    };
    let Some(rest) = rest.strip_prefix(']') else {
        return Err(format!("'[{key}={value}' has no closing ']'"));
    };
    let step = Step::Select {
        key,
        value: value.to_string(),
    };
    Ok((step, rest))
}

/// Appends a step to a path as error messages print it (keys quoted as `scenario::path` does),
/// so that problems found at that path can be matched to it.
pub(super) fn push_step(s: &mut String, step: &Step) {
    match step {
        Step::Key(k) => crate::scenario::path::push_key(s, k),
        other => push_readable(s, other),
    }
}

/// Appends a step so that it reads back as the same step: as error messages print it, with
/// keys quoted also where they hold a character of the path syntax (`[`, `]`, `=`).
fn push_readable(s: &mut String, step: &Step) {
    match step {
        Step::Key(k) if k.contains(['[', ']', '=']) => {
            if !s.is_empty() {
                s.push('.');
            }
            s.push('"');
            s.push_str(k);
            s.push('"');
        }
        Step::Key(k) => crate::scenario::path::push_key(s, k),
        Step::Index(i) => s.push_str(&format!("[{i}]")),
        Step::Select { key, value } => {
            s.push('[');
            push_bare_or_quoted(s, key);
            s.push('=');
            push_bare_or_quoted(s, value);
            s.push(']');
        }
    }
}

/// `text`, quoted if it would not read back as one key or value inside `[…]`.
fn push_bare_or_quoted(s: &mut String, text: &str) {
    if text.is_empty() || text.contains(['.', '[', ']', '=', '"']) {
        s.push('"');
        s.push_str(text);
        s.push('"');
    } else {
        s.push_str(text);
    }
}

impl fmt::Display for OverridePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        for step in &self.0 {
            push_readable(&mut s, step);
        }
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Vec<Step>, &str), String> {
        parse_prefix(text).map(|(p, rest)| (p.0, rest))
    }

    fn key(k: &str) -> Step {
        Step::Key(k.into())
    }

    #[test]
    fn reads_the_paths_error_messages_print() {
        assert_eq!(
            parse("auto_scaling_groups[0].DefaultCooldown=120"),
            Ok((
                vec![
                    key("auto_scaling_groups"),
                    Step::Index(0),
                    key("DefaultCooldown")
                ],
                "=120"
            ))
        );
        assert_eq!(
            parse(r#"load_balancer.attributes."idle_timeout.timeout_seconds"=5"#),
            Ok((
                vec![
                    key("load_balancer"),
                    key("attributes"),
                    key("idle_timeout.timeout_seconds")
                ],
                "=5"
            ))
        );
        assert_eq!(
            parse("clients[1].arrival.rate_per_second"),
            Ok((
                vec![
                    key("clients"),
                    Step::Index(1),
                    key("arrival"),
                    key("rate_per_second")
                ],
                ""
            ))
        );
        assert_eq!(
            parse("m[2][3]=x"),
            Ok((vec![key("m"), Step::Index(2), Step::Index(3)], "=x"))
        );
    }

    #[test]
    fn an_element_is_selected_by_a_key_and_its_value() {
        let select = |k: &str, v: &str| Step::Select {
            key: k.into(),
            value: v.into(),
        };
        assert_eq!(
            parse("target_groups[name=web].port=81"),
            Ok((
                vec![key("target_groups"), select("name", "web"), key("port")],
                "=81"
            ))
        );
        assert_eq!(
            parse(r#"instances[id="a]b"]=1"#),
            Ok((vec![key("instances"), select("id", "a]b")], "=1"))
        );
    }

    #[test]
    fn paths_print_as_they_are_read() {
        for text in [
            "auto_scaling_groups[0].DefaultCooldown",
            r#"load_balancer.attributes."idle_timeout.timeout_seconds""#,
            "target_groups[name=web].port",
            r#"instances[id="i.1"]"#,
        ] {
            let (path, rest) = parse_prefix(text).unwrap();
            assert_eq!((path.to_string().as_str(), rest), (text, ""));
        }
        // Quotes only where needed.
        let (path, _) = parse_prefix(r#""seed""#).unwrap();
        assert_eq!(path.to_string(), "seed");
        let (path, _) = parse_prefix(r#"a."b]c"[x="y=z"]"#).unwrap();
        assert_eq!(path.to_string(), r#"a."b]c"[x="y=z"]"#);
    }

    #[test]
    fn malformed_paths_say_what_is_wrong_and_where() {
        assert_eq!(parse("").unwrap_err(), "expected a key, got nothing");
        assert_eq!(parse("=5").unwrap_err(), "expected a key, got '='");
        assert_eq!(
            parse("a..b=1").unwrap_err(),
            "expected a key, got '.' (after \"a.\")"
        );
        assert_eq!(
            parse("a.=1").unwrap_err(),
            "expected a key, got '=' (after \"a.\")"
        );
        assert_eq!(
            parse("a[x]=1").unwrap_err(),
            "expected an index ([0]) or a key and its value ([name=web]), got [x… (after \"a\")"
        );
        assert_eq!(
            parse("a[0=1").unwrap_err(),
            "'[0=1' has no closing ']' (after \"a\")"
        );
        assert_eq!(
            parse(r#""a.b=1"#).unwrap_err(),
            "a quoted key has no closing '\"'"
        );
        assert_eq!(
            parse("a]=1").unwrap_err(),
            "expected '.', '[' or '=' after a key, got ']' (after \"a\")"
        );
        assert_eq!(
            parse(r#" [a=="]=1"#).unwrap_err(),
            "a value in '[…]' cannot contain '\"' (got [a==\"]) (after \" \")"
        );
        assert!(
            parse("a[99999999999999999999999]=1")
                .unwrap_err()
                .contains("too large")
        );
    }

    proptest::proptest! {
        // A fixed seed: the same cases on every machine and run (a test that fails by chance is
        // no test).
        #![proptest_config(proptest::test_runner::Config {
            cases: 2048,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0),
            ..proptest::test_runner::Config::default()
        })]
        /// Any text reads as a path or is refused with a message, never a panic; what reads
        /// prints back as text that reads the same.
        #[test]
        fn any_text_reads_or_is_refused_and_what_reads_prints_back(
            text in "([a-z0-9é ]|\\[|\\]|=|\\.|\"){0,24}"
        ) {
            if let Ok((path, _)) = parse_prefix(&text) {
                let printed = path.to_string();
                let (again, rest) = parse_prefix(&printed).unwrap();
                proptest::prop_assert_eq!(again, path);
                proptest::prop_assert_eq!(rest, "");
            }
        }
    }
}
