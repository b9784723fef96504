//! `set` objects (path: value) into overrides whose origins name the experiment file and the
//! key's JSON path.

use crate::scenario::FieldError;
use crate::scenario::overrides::{Override, OverridePath, Step};
use crate::scenario::path::JsonPath;
use serde_json::{Map, Value};
use std::path::Path;

/// The origin of a value of the experiment file at `at`: `experiments/x.json: set.duration`.
pub(super) fn origin(file: &Path, at: &JsonPath) -> String {
    format!("{}: {at}", file.display())
}

/// Reads a path into the model written at `at`. The model's `seed` is not a target: every
/// run's seed derives from the experiment's (a value set there would be overwritten).
pub(super) fn model_path(text: &str, at: &JsonPath) -> Result<OverridePath, FieldError> {
    let path = OverridePath::parse(text)
        .map_err(|m| at.error(format!("expected a path into the model: {m}")))?;
    if path.steps().first() == Some(&Step::Key("seed".to_string())) {
        return Err(at.error(
            "the model's seed is set for every run from the experiment's \"seed\", the point and the replication: give more \"replications\" to vary it",
        ));
    }
    Ok(path)
}

/// Whether one of the paths is inside the other (or they are equal).
pub(super) fn overlap(a: &OverridePath, b: &OverridePath) -> bool {
    let (a, b) = (a.steps(), b.steps());
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

/// Checks that no two of `paths` (each with where it was written) overlap.
pub(super) fn check_overlaps(paths: &[(OverridePath, JsonPath)], errors: &mut Vec<FieldError>) {
    for (j, (path, at)) in paths.iter().enumerate() {
        if let Some((other, _)) = paths[..j].iter().find(|(o, _)| overlap(o, path)) {
            errors.push(at.error(format!(
                "{path} overlaps {other} (one is the other or inside it): the result would depend on the order of the keys; put the inner value inside the outer one"
            )));
        }
    }
}

/// The overrides of the `set` object `map` at `at`, in the object's order, and the paths it
/// sets; its problems are added to `errors`.
pub(super) fn overrides_of_set(
    file: &Path,
    map: &Map<String, Value>,
    at: &JsonPath,
    errors: &mut Vec<FieldError>,
) -> (Vec<Override>, Vec<(OverridePath, JsonPath)>) {
    let mut overrides = Vec::new();
    let mut paths = Vec::new();
    for (key, value) in map {
        let key_at = at.key(key);
        match model_path(key, &key_at) {
            Ok(path) => {
                overrides.push(Override::at(
                    path.clone(),
                    value.clone(),
                    origin(file, &key_at),
                ));
                paths.push((path, key_at));
            }
            Err(e) => errors.push(e),
        }
    }
    check_overlaps(&paths, errors);
    (overrides, paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn origins_and_overlaps() {
        let map = json!({"auto_scaling_groups[0]": {}, "auto_scaling_groups[0].MinSize": 1, "duration": "1h"});
        let Value::Object(map) = map else {
            unreachable!()
        };
        let mut errors = Vec::new();
        let at = JsonPath::root().key("set");
        let (overrides, _) = overrides_of_set(Path::new("x.json"), &map, &at, &mut errors);
        assert_eq!(overrides.len(), 3);
        assert!(
            overrides
                .iter()
                .any(|o| o.origin() == "x.json: set.duration")
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, "set.\"auto_scaling_groups[0].MinSize\"");
        assert_eq!(
            errors[0].message,
            "auto_scaling_groups[0].MinSize overlaps auto_scaling_groups[0] (one is the other or inside it): the result would depend on the order of the keys; put the inner value inside the outer one"
        );
    }
}
