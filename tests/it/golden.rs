//! Golden outputs: every shipped model's `summary.json` (without `wall_seconds`), `timeseries.csv`,
//! `activity.log` and `timeline.svg` are byte-identical to the files kept in `tests/golden/<model>/`.
//!
//! They guard refactors: a change that moves code must not move a number, a line of the activity
//! history or a pixel of a plot. When a change is *meant* to alter outputs, regenerate them with
//! the deliberate command
//!
//! ```text
//! ALBSIM_BLESS_GOLDEN=1 cargo test --release --test it golden
//! ```
//!
//! and let a reviewer read the diff of `tests/golden/` in the commit.

use crate::common::{albsim, entry_names};
use std::fs;
use std::path::PathBuf;

/// The files compared: every result file a run writes (a new one gets a golden copy too).
fn files() -> Vec<&'static str> {
    let files: Vec<_> = albsim::report::output::files::names().collect();
    for kept in [
        "summary.json",
        "timeseries.csv",
        "activity.log",
        "timeline.svg",
    ] {
        assert!(files.contains(&kept), "a run no longer writes {kept}");
    }
    files
}

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file's bytes as compared: `summary.json` without its wall-clock line.
fn comparable(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    if name != "summary.json" {
        return bytes;
    }
    let text = String::from_utf8(bytes).expect("summary.json is UTF-8");
    let mut kept: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"wall_seconds\""))
        .collect::<Vec<_>>()
        .join("\n");
    kept.push('\n');
    kept.into_bytes()
}

fn shipped_models() -> Vec<PathBuf> {
    let mut models: Vec<PathBuf> = fs::read_dir(project().join("models"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    models.sort();
    models
}

#[test]
fn every_shipped_model_reproduces_its_golden_outputs() {
    let bless = std::env::var_os("ALBSIM_BLESS_GOLDEN").is_some();
    // Inside the project, so that a kept model.json names replayed logs by the same relative
    // path (../../../models/…) on every machine.
    let target = project().join("target");
    fs::create_dir_all(&target).unwrap();
    let scratch = tempfile::tempdir_in(&target).unwrap();
    let mut differences = Vec::new();
    let models = shipped_models();
    assert!(models.len() >= 15, "models/ lost its models");
    for model in &models {
        let name = model.file_stem().unwrap().to_str().unwrap();
        let out = scratch.path().join(name);
        let (code, _, stderr) = albsim(
            &project(),
            &[
                "run",
                model.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ],
        );
        assert_eq!(code, Some(0), "{name}: {stderr}");
        let golden = project().join("tests/golden").join(name);
        for file in files() {
            let got = comparable(file, fs::read(out.join(file)).unwrap());
            let kept = golden.join(file);
            if bless {
                fs::create_dir_all(&golden).unwrap();
                fs::write(&kept, &got).unwrap();
                continue;
            }
            match fs::read(&kept) {
                Ok(want) if want == got => {}
                Ok(_) => differences.push(format!("{name}/{file} differs")),
                Err(_) => differences.push(format!("{name}/{file} has no golden copy")),
            }
        }
    }
    assert!(
        differences.is_empty(),
        "outputs changed:\n  {}\nIf the change is intended, regenerate with \
         `ALBSIM_BLESS_GOLDEN=1 cargo test --release --test it golden` and review the diff of \
         tests/golden/.",
        differences.join("\n  ")
    );
}

/// The golden folder holds exactly the shipped models: a model removed or renamed takes its
/// golden copy with it.
#[test]
fn golden_folders_match_the_shipped_models() {
    let models: Vec<String> = shipped_models()
        .iter()
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    assert_eq!(entry_names(&project().join("tests/golden")), models);
}
