//! The models an experiment runs: its `model`, or each of its `models` with its label and
//! `set`, read relative to the experiment file's folder.

use super::raw::{RawExperiment, RawVariant};
use super::sets::overrides_of_set;
use crate::experiment::{Level, Parameter, Variant};
use crate::scenario::path::JsonPath;
use crate::scenario::{FieldError, ModelError, names};
use serde_json::Value;
use std::path::Path;

/// The models the experiment runs: `model`, or each of `models`.
pub(super) fn variants(
    file: &Path,
    raw: &RawExperiment,
    read_model: &dyn Fn(&Path) -> Result<String, ModelError>,
    errors: &mut Vec<FieldError>,
) -> Vec<Variant> {
    let root = JsonPath::root();
    let folder = file.parent().unwrap_or(Path::new(""));
    match (&raw.model, &raw.models) {
        (Some(model), None) => {
            let at = root.key("model");
            read_variant(folder, model, None, &at, read_model, errors)
                .map(|(label, file, text)| Variant {
                    label,
                    file,
                    text,
                    overrides: Vec::new(),
                })
                .into_iter()
                .collect()
        }
        (None, Some(models)) => {
            if models.is_empty() {
                errors.push(root.key("models").error("expected at least one model"));
            }
            let mut variants: Vec<Variant> = Vec::new();
            for (i, v) in models.iter().enumerate() {
                let at = root.key("models").index(i);
                if let Some(variant) = model_variant(file, folder, v, &at, read_model, errors) {
                    if let Some(first) = variants.iter().position(|o| o.label == variant.label) {
                        errors.push(at.key("name").error(format!(
                            "the label {:?} already names models[{first}]: each model compared needs a label of its own (give it a \"name\")",
                            variant.label
                        )));
                    }
                    variants.push(variant);
                }
            }
            variants
        }
        (Some(_), Some(_)) => {
            errors.push(root.key("models").error(
                "expected either \"model\" (one model file) or \"models\" (a list of models to compare), not both",
            ));
            Vec::new()
        }
        (None, None) => {
            errors.push(root.error(
                "expected \"model\" (the model file, relative to this file's folder) or \"models\" (a list of models to compare), got neither",
            ));
            Vec::new()
        }
    }
}

fn model_variant(
    file: &Path,
    folder: &Path,
    v: &RawVariant,
    at: &JsonPath,
    read_model: &dyn Fn(&Path) -> Result<String, ModelError>,
    errors: &mut Vec<FieldError>,
) -> Option<Variant> {
    if let Some(name) = &v.name {
        if let Err(e) = names::check_name(name, &at.key("name"), "model label") {
            errors.push(e);
        }
    }
    let overrides = match &v.set {
        Some(map) => overrides_of_set(file, map, &at.key("set"), errors).0,
        None => Vec::new(),
    };
    let (label, model_file, text) = read_variant(
        folder,
        &v.file,
        v.name.as_deref(),
        &at.key("file"),
        read_model,
        errors,
    )?;
    Some(Variant {
        label,
        file: model_file,
        text,
        overrides,
    })
}

/// Reads the model `written` (relative to `folder`): its label (`name`, else the model's own
/// name, else the file's stem), resolved path and text.
fn read_variant(
    folder: &Path,
    written: &str,
    name: Option<&str>,
    at: &JsonPath,
    read_model: &dyn Fn(&Path) -> Result<String, ModelError>,
    errors: &mut Vec<FieldError>,
) -> Option<(String, std::path::PathBuf, String)> {
    let resolved = folder.join(written);
    let text = match read_model(&resolved) {
        Ok(text) => text,
        Err(e) => {
            let why = match &e {
                ModelError::Read { source, .. } => source.to_string(),
                other => other.to_string(),
            };
            errors.push(at.error(format!(
                "cannot read the model file {}: {why}",
                resolved.display()
            )));
            return None;
        }
    };
    let own_name = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("name").and_then(Value::as_str).map(str::to_string));
    let stem = resolved
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| written.to_string());
    let label = name.map(str::to_string).or(own_name).unwrap_or(stem);
    Some((label, resolved, text))
}

/// The `model` parameter of several compared models: one level per variant.
pub(super) fn model_parameter(variants: &[Variant]) -> Parameter {
    Parameter {
        name: "model".to_string(),
        levels: variants
            .iter()
            .enumerate()
            .map(|(i, v)| Level {
                label: v.label.clone(),
                value: Value::String(v.label.clone()),
                overrides: Vec::new(),
                variant: Some(i),
            })
            .collect(),
        numeric: false,
    }
}
