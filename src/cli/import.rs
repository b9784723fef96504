//! `albsim import cloudformation TEMPLATE [--parameters K=V…] [--out MODEL.json]`: reads a
//! CloudFormation template, maps it to an albsim model, checks the model with albsim's own
//! loader, and writes it (atomically) or prints it. Lists on stderr what it assumed, what it
//! ignored and what it changed, unless `--quiet`.
//!
//! Exit codes: 0 written; 2 the template, a parameter or `--out` is wrong (nothing written);
//! 1 the model could not be written.

use super::Exit;
use super::args::ImportCloudFormationArgs;
use crate::import::cloudformation::map::pretty;
use crate::import::cloudformation::{self, Imported};
use anyhow::{Context, Result};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Largest template albsim reads (CloudFormation's own limit for a template in S3 is 1 MB).
const MAX_TEMPLATE_BYTES: u64 = 4 * 1024 * 1024;

/// Imports a template and writes (or prints) the model.
pub fn cloudformation(a: &ImportCloudFormationArgs) -> Result<Exit> {
    let imported = match prepare(a) {
        Ok(i) => i,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(Exit::Invalid);
        }
    };
    let text = pretty(&imported.model);
    let shown = a
        .out
        .as_deref()
        .unwrap_or(Path::new("imported model"))
        .to_path_buf();
    if let Err(e) = crate::scenario::from_json(&text, &shown) {
        // A bug guard: the mapper must only write models albsim accepts.
        for line in super::model_error_lines(&e) {
            eprintln!("{line}");
        }
        eprintln!(
            "error: albsim made a model from {} that it cannot load itself (a bug in `albsim import cloudformation`; please report it with the template); nothing was written",
            a.template.display()
        );
        return Ok(Exit::Invalid);
    }
    match &a.out {
        Some(out) => write_atomically(out, &text)?,
        None => super::print_stdout(&text)?,
    }
    if !a.quiet {
        report(&imported, a.out.as_deref());
    }
    Ok(Exit::Success)
}

/// Reads the parameters and the template and maps it; an error is one line for the user.
fn prepare(a: &ImportCloudFormationArgs) -> Result<Imported, String> {
    let parameters = parse_parameters(&a.parameters)?;
    if let Some(out) = &a.out {
        check_out(out)?;
    }
    let window = cloudformation::RunWindow {
        start: a.start,
        duration: a.duration.as_deref().map(run_length).transpose()?,
    };
    let text = read_template(&a.template)?;
    cloudformation::import(&text, &a.template, &parameters, &window).map_err(|e| e.line())
}

/// `--duration`: a run length albsim can simulate, in whole seconds.
fn run_length(text: &str) -> Result<(String, u64), String> {
    let max = crate::scenario::timing::MAX_TIME_SECS;
    let d = crate::scenario::values::parse_duration(text)
        .map_err(|e| format!("--duration {text:?}: {e}"))?;
    if d.subsec_nanos() != 0 || d.as_secs() == 0 || d.as_secs() > max {
        return Err(format!(
            "--duration {text:?}: expected whole seconds from 1 s to {}",
            crate::scenario::timing::MAX_TIME_WORDS
        ));
    }
    Ok((text.trim().to_string(), d.as_secs()))
}

/// `Key=Value` pairs, in order; the value may contain `=`.
pub fn parse_parameters(given: &[String]) -> Result<Vec<(String, String)>, String> {
    given
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(format!(
                "--parameters {p:?}: expected Key=Value (a template parameter's name, '=', its value)"
            )),
        })
        .collect()
}

/// The template's text: at most [`MAX_TEMPLATE_BYTES`] of UTF-8.
fn read_template(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = fs::File::open(path)
        .map_err(|e| format!("{}: cannot read the template: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_TEMPLATE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: cannot read the template: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_TEMPLATE_BYTES {
        return Err(format!(
            "{}: the template is larger than {} MiB; albsim reads templates up to that size",
            path.display(),
            MAX_TEMPLATE_BYTES / 1024 / 1024
        ));
    }
    String::from_utf8(bytes)
        .map_err(|e| format!("{}: the template is not UTF-8 text ({e})", path.display()))
}

/// Refuses an `--out` that exists and is not a regular file (a folder, a device, a link).
fn check_out(out: &Path) -> Result<(), String> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(format!(
            "--out {}: the folder {} does not exist",
            out.display(),
            dir.display()
        ));
    }
    match fs::symlink_metadata(out) {
        Ok(m) if !m.file_type().is_file() => Err(format!(
            "--out {}: exists and is not a regular file; albsim only replaces a model file",
            out.display()
        )),
        Ok(_) if !was_imported(out) => Err(format!(
            "--out {}: exists and is not a model `albsim import cloudformation` wrote; albsim replaces only those (choose another file, or remove it first)",
            out.display()
        )),
        _ => Ok(()),
    }
}

/// Whether `file` is a model an earlier import wrote: JSON whose `description` says so (the
/// mapper writes it), so an import never replaces the template or a model of the user's.
fn was_imported(file: &Path) -> bool {
    let Ok(text) = fs::read_to_string(file) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("description")?.as_str().map(str::to_string))
        .is_some_and(|d| d.starts_with(cloudformation::map::IMPORTED_MARK))
}

/// Writes `text` to a temporary file beside `out`, then renames it over `out`: a reader sees
/// the old model or the new one, never half of one.
fn write_atomically(out: &Path, text: &str) -> Result<()> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .with_context(|| format!("--out {}: expected a file name", out.display()))?;
    let tmp = dir.join(format!(
        ".{}.albsim-import-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> Result<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(text.as_bytes())
            .and_then(|()| f.sync_all())
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        fs::rename(&tmp, out).with_context(|| format!("cannot write {}", out.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// What the import assumed, ignored and noted, on stderr.
fn report(i: &Imported, out: Option<&Path>) {
    let mut err = std::io::stderr().lock();
    let mut line = |s: String| {
        let _ = writeln!(err, "{s}");
    };
    if let Some(out) = out {
        line(format!("wrote {}", out.display()));
    }
    if !i.assumed.is_empty() {
        line(format!(
            "assumed ({}; edit them in the model):",
            i.assumed.len()
        ));
        for a in &i.assumed {
            line(format!("  {a}"));
        }
    }
    if !i.ignored.is_empty() {
        line(format!(
            "ignored ({}; albsim does not model them):",
            i.ignored.len()
        ));
        for (id, ty) in &i.ignored {
            line(format!("  {id} ({ty})"));
        }
    }
    if !i.notes.is_empty() {
        line(format!("notes ({}):", i.notes.len()));
        for n in &i.notes {
            line(format!("  {n}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_key_equals_value() {
        let p = parse_parameters(&["InstanceType=t3.small".into(), "Cidr=a=b".into()]).unwrap();
        assert_eq!(
            p,
            vec![
                ("InstanceType".into(), "t3.small".into()),
                ("Cidr".into(), "a=b".into())
            ]
        );
        let e = parse_parameters(&["InstanceType".into()]).unwrap_err();
        assert!(e.contains("\"InstanceType\": expected Key=Value"), "{e}");
        assert!(parse_parameters(&["=x".into()]).is_err());
    }

    #[test]
    fn out_must_be_a_regular_file_if_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            check_out(dir.path())
                .unwrap_err()
                .contains("not a regular file")
        );
        let f = dir.path().join("m.json");
        assert!(check_out(&f).is_ok());
        write_atomically(&f, "{}\n").unwrap();
        assert_eq!(fs::read_to_string(&f).unwrap(), "{}\n");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
        // An existing file is replaced only if an import wrote it: never the template, never a
        // model of the user's.
        assert!(
            check_out(&f)
                .unwrap_err()
                .contains("is not a model `albsim import cloudformation` wrote")
        );
        let imported = format!(
            "{{\"name\": \"m\", \"description\": \"{} t.yaml by …\"}}",
            crate::import::cloudformation::map::IMPORTED_MARK
        );
        write_atomically(&f, &imported).unwrap();
        assert!(check_out(&f).is_ok());
        let missing = dir.path().join("nowhere/m.json");
        assert!(check_out(&missing).unwrap_err().contains("does not exist"));
    }
}
