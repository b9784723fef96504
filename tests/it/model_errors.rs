//! Model errors: every problem of a file reported at once, each in a user's words (JSON types,
//! AWS names, allowed ranges) at its JSON path — never a Rust type name.

use crate::common::albsim;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Words that give away Rust internals (serde's default messages).
const RUST_WORDS: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "f32", "f64", "usize", "isize",
];
const RUST_PHRASES: &[&str] = &[
    "struct ",
    "Raw",
    "sequence",
    "variant",
    "enum",
    "unknown field",
    "missing field",
    "invalid type",
    "invalid length",
];

fn rust_leak(message: &str) -> Option<String> {
    // AWS's own key names that contain a phrase above are the user's words, not Rust's.
    let message = &message.replace("RawMessageDelivery", "");
    for w in message.split(|c: char| !c.is_ascii_alphanumeric()) {
        if RUST_WORDS.contains(&w) {
            return Some(w.to_string());
        }
    }
    for p in RUST_PHRASES {
        if message.contains(p) {
            return Some((*p).to_string());
        }
    }
    let words: Vec<&str> = message.split_whitespace().collect();
    for w in words.windows(3) {
        if w[0] == "with" && w[1].parse::<u64>().is_ok() && w[2].starts_with("element") {
            return Some(w.join(" "));
        }
    }
    None
}

fn shipped_models() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect()
}

/// A path segment of a JSON document.
#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Every position in `v` (not the root), in document order.
fn positions(v: &Value, at: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                at.push(Seg::Key(k.clone()));
                out.push(at.clone());
                positions(child, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Seg::Index(i));
                out.push(at.clone());
                positions(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    path.iter().fold(v, |v, seg| match seg {
        Seg::Key(k) => &mut v[k.as_str()],
        Seg::Index(i) => &mut v[*i],
    })
}

/// The path as albsim writes it: `a.b[0]."dotted.key"`.
fn rendered(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                if k.contains('.') || k.contains(' ') || k.is_empty() {
                    s.push_str(&format!("\"{k}\""));
                } else {
                    s.push_str(k);
                }
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// `(path, message)` of every error albsim reports for `model`, or none if it loads.
fn errors_of(model: &Value) -> Vec<(String, String)> {
    match albsim::scenario::from_json(&model.to_string(), Path::new("m.json")) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .lines()
            .into_iter()
            .map(|line| {
                let rest = line.strip_prefix("m.json: ").unwrap_or(&line).to_string();
                match rest.split_once(": ") {
                    Some((p, m)) => (p.to_string(), m.to_string()),
                    None => (String::new(), rest),
                }
            })
            .collect(),
    }
}

// See: issue 7, defect 8
/// Every value of every shipped model replaced in turn by a string, a negative number, an
/// array, an object, null and huge numbers: no message names a Rust type, and an array where an
/// object belongs is rejected at that very path.
#[test]
fn mutated_models_get_messages_in_user_words() {
    let replacements = [
        json!("x"),
        json!(-1),
        json!([]),
        json!({}),
        Value::Null,
        json!(1e300),
        json!(18_446_744_074u64),
        json!([1, 2]),
    ];
    let mut cases = 0;
    let mut rejected = 0;
    for (file, model) in shipped_models() {
        let mut paths = Vec::new();
        positions(&model, &mut Vec::new(), &mut paths);
        for path in &paths {
            for replacement in &replacements {
                let mut m = model.clone();
                let original = at_mut(&mut m, path).clone();
                *at_mut(&mut m, path) = replacement.clone();
                cases += 1;
                let errors = errors_of(&m);
                if !errors.is_empty() {
                    rejected += 1;
                }
                for (p, message) in &errors {
                    assert!(
                        rust_leak(message).is_none(),
                        "{file}: {} = {replacement}: message names {:?}: {p}: {message}",
                        rendered(path),
                        rust_leak(message)
                    );
                    assert!(!p.is_empty(), "{file}: error without a path: {message}");
                }
                if original.is_object() && replacement.is_array() {
                    let want = rendered(path);
                    assert!(
                        errors
                            .iter()
                            .any(|(p, m)| *p == want && m.contains("got an array")),
                        "{file}: an array at {want} (an object) was not rejected there: {errors:?}"
                    );
                }
            }
        }
    }
    assert!(cases >= 10_000, "only {cases} mutated models");
    assert!(rejected * 2 > cases, "only {rejected} of {cases} rejected");
}

// See: issue 7, defect 8
/// Every key of every shipped model misspelt (a letter dropped): the message says which key is
/// unknown, suggests the right one, and names no Rust type.
#[test]
fn misspelt_keys_are_named_with_a_suggestion() {
    let mut cases = 0;
    let mut suggested = 0;
    for (file, model) in shipped_models() {
        let mut paths = Vec::new();
        positions(&model, &mut Vec::new(), &mut paths);
        for path in &paths {
            let Some(Seg::Key(key)) = path.last() else {
                continue;
            };
            if key.chars().count() < 4 {
                continue;
            }
            let (parent, _) = path.split_at(path.len() - 1);
            let typo: String = key.chars().skip(1).collect();
            let mut m = model.clone();
            let object = at_mut(&mut m, parent).as_object_mut().unwrap();
            if object.contains_key(&typo) {
                continue;
            }
            let value = object.remove(key).unwrap();
            object.insert(typo.clone(), value);
            cases += 1;
            let errors = errors_of(&m);
            for (p, message) in &errors {
                assert!(rust_leak(message).is_none(), "{file}: {p}: {message}");
            }
            let mut typo_path = parent.to_vec();
            typo_path.push(Seg::Key(typo.clone()));
            let want = rendered(&typo_path);
            // Free-form maps (headers, query, Dimensions) take any key.
            if let Some((_, message)) = errors.iter().find(|(p, _)| *p == want) {
                assert!(
                    message.starts_with(&format!("unknown key {typo:?} (did you mean {key:?}?)")),
                    "{file}: {want}: {message}"
                );
                suggested += 1;
            }
        }
    }
    assert!(cases >= 500, "only {cases} misspelt keys");
    assert!(
        suggested * 10 > cases * 9,
        "{suggested} of {cases} misspelt keys named"
    );
}

// See: issue 7, defect 8
#[test]
fn arrays_are_not_objects() {
    let (_, mut m) = shipped_models()
        .into_iter()
        .find(|(f, _)| f == "quickstart.json")
        .unwrap();
    m["load_balancer"]["listeners"][0] = json!([]);
    m["clients"][0]["requests"][0] = json!([80, "HTTP"]);
    let errors = errors_of(&m);
    let listener = errors
        .iter()
        .find(|(p, _)| p == "load_balancer.listeners[0]")
        .unwrap_or_else(|| panic!("{errors:?}"));
    assert_eq!(
        listener.1,
        "expected an object with keys port, protocol, tls_handshake_ms, rules, default_actions, got an array"
    );
    assert!(
        errors
            .iter()
            .any(|(p, m)| p == "clients[0].requests[0]" && m.ends_with("got an array")),
        "{errors:?}"
    );
}

#[test]
fn wrong_types_are_described_in_json_words() {
    let (_, mut m) = shipped_models()
        .into_iter()
        .find(|(f, _)| f == "quickstart.json")
        .unwrap();
    m["seed"] = json!(-1);
    m["target_groups"][0]["port"] = json!("x");
    m["clients"][0]["keep_alive"] = json!("yes");
    m["clients"][0]["requests"] = json!({});
    m["load_balancer"]["listenrs"] = json!([]);
    let errors = errors_of(&m);
    let find = |path: &str| {
        errors
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, m)| m.as_str())
            .unwrap_or_else(|| panic!("no error at {path}: {errors:?}"))
    };
    assert_eq!(
        find("seed"),
        "expected a whole number 0–18446744073709551615, got -1"
    );
    assert_eq!(
        find("target_groups[0].port"),
        "expected a whole number 0–4294967295, got a string \"x\""
    );
    assert_eq!(
        find("clients[0].keep_alive"),
        "expected true or false, got a string \"yes\""
    );
    assert_eq!(
        find("clients[0].requests"),
        "expected a list, got an object"
    );
    assert_eq!(
        find("load_balancer.listenrs"),
        "unknown key \"listenrs\" (did you mean \"listeners\"?); allowed keys: name, attributes, listeners, AvailabilityZones"
    );
    assert_eq!(errors.len(), 5, "{errors:?}");
}

#[test]
fn missing_keys_are_each_reported() {
    let m = json!({ "name": "m", "load_balancer": { "listeners": [] } });
    let errors = errors_of(&m);
    for (path, key) in [
        ("(top level)", "duration"),
        ("(top level)", "clients"),
        ("(top level)", "target_groups"),
        ("load_balancer", "name"),
    ] {
        let want = format!("missing required key \"{key}\"");
        assert!(
            errors.iter().any(|(p, m)| p == path && *m == want),
            "{path}: {want} not in {errors:?}"
        );
    }
    assert_eq!(errors.len(), 4, "{errors:?}");
}

/// Range and reference errors in several sections are all reported, and an element that
/// failed (an instance with 0 workers) is still known by name (no "no instance" error for it).
#[test]
fn every_resolve_error_is_reported_once() {
    let (_, mut m) = shipped_models()
        .into_iter()
        .find(|(f, _)| f == "quickstart.json")
        .unwrap();
    m["load_balancer"]["attributes"] = json!({ "idle_timeout.timeout_seconds": 5000 });
    m["instances"][0]["workers"] = json!(0);
    m["target_groups"][0]["port"] = json!(0);
    m["duration"] = json!(0);
    let errors = errors_of(&m);
    let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "duration",
            "instances[0].workers",
            "target_groups[0].port",
            "load_balancer.attributes.\"idle_timeout.timeout_seconds\"",
        ],
        "{errors:?}"
    );
}

/// `validate` and `run` report the same complete list: one `FILE: path: message` per problem.
#[test]
fn validate_and_run_report_every_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, mut m) = shipped_models()
        .into_iter()
        .find(|(f, _)| f == "quickstart.json")
        .unwrap();
    m["seed"] = json!("seven");
    m["clients"][0]["arrival"]["rate_per_second"] = json!([]);
    m["load_balancer"]["atributes"] = json!({});
    std::fs::write(tmp.path().join("m.json"), m.to_string()).unwrap();
    let (code, stdout, stderr) = albsim(tmp.path(), &["validate", "m.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "error: m.json: clients[0].arrival.rate_per_second: expected a number, got an array",
            "error: m.json: load_balancer.atributes: unknown key \"atributes\" (did you mean \"attributes\"?); allowed keys: name, attributes, listeners, AvailabilityZones",
            "error: m.json: seed: expected a whole number 0–18446744073709551615, got a string \"seven\"",
            "m.json: 3 errors",
            "error: 1 model file is invalid",
        ]
    );
    let (code, stdout, stderr) = albsim(tmp.path(), &["run", "m.json", "--out", "out"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "");
    for l in &lines[..3] {
        let problem = l.strip_prefix("error: ").unwrap();
        assert!(stderr.contains(problem), "run lacks {problem:?}:\n{stderr}");
    }
    assert!(!tmp.path().join("out").exists());
}

/// `{"duration": "1m", …, "duration": "1h"}` would silently run for an hour: a repeated key is
/// refused with its line.
#[test]
fn a_key_written_twice_is_refused() {
    let (_, m) = shipped_models()
        .into_iter()
        .find(|(f, _)| f == "quickstart.json")
        .unwrap();
    let text = serde_json::to_string_pretty(&m).unwrap().replacen(
        "{\n",
        "{\n  \"duration\": \"1h\",\n",
        1,
    );
    let e = albsim::scenario::from_json(&text, Path::new("m.json"))
        .expect_err("accepted a repeated key");
    let line = 1
        + text
            .lines()
            .skip(2)
            .position(|l| l.trim_start().starts_with("\"duration\""))
            .unwrap()
        + 2;
    let message = e.to_string();
    assert!(
        message.starts_with(
            "m.json: not valid JSON: the key \"duration\" appears twice in one object"
        ),
        "{message}"
    );
    assert!(message.contains(&format!("line {line} ")), "{message}");
}

fn quickstart_value() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/quickstart.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn error_lines(m: &Value) -> Vec<String> {
    match albsim::scenario::from_json(&m.to_string(), Path::new("m.json")) {
        Ok(_) => panic!("accepted: {m}"),
        Err(e) => e.lines(),
    }
}

// See: issue 7, "validate reports all the errors in a file at once"
/// A wrong type does not hide the range, name and reference errors elsewhere in the file.
#[test]
fn shape_errors_do_not_hide_range_and_reference_errors() {
    let mut m = quickstart_value();
    m["seed"] = json!("x");
    m["name"] = json!("a b");
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(5000);
    m["load_balancer"]["listeners"][0]["default_actions"][0]["target_group"] = json!("webb");
    m["clients"][0]["arrival"]["rate_per_second"] = json!("fast");
    let lines = error_lines(&m);
    let paths: Vec<&str> = lines
        .iter()
        .map(|l| l.trim_start_matches("m.json: ").split(": ").next().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "clients[0].arrival.rate_per_second",
            "load_balancer.attributes.\"idle_timeout.timeout_seconds\"",
            "load_balancer.listeners[0].default_actions[0].target_group",
            "name",
            "seed",
        ],
        "{lines:#?}"
    );
    // The placeholder standing in for "fast" raises nothing of its own.
    assert_eq!(
        paths.iter().filter(|p| p.starts_with("clients")).count(),
        1,
        "{lines:#?}"
    );
}

// See: issue 7, "validate reports all the errors in a file at once"
/// A placeholder for a name others refer to would make their references look broken: then only
/// the shape errors are reported, never a consequence of them.
#[test]
fn a_broken_name_reports_no_consequences() {
    let mut m = quickstart_value();
    m["target_groups"][0]["name"] = json!(7);
    let lines = error_lines(&m);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("m.json: target_groups[0].name: "),
        "{lines:#?}"
    );
}
