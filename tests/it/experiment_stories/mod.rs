//! Every shipped experiment tells a story in its `description`. One test per experiment runs the
//! real file (`experiments/<name>.json`, as shipped) through `albsim sweep` and checks the story
//! in its `points.csv` (means and 95 % Student-t intervals per point) and `sweep.json` (every
//! replication's values, the objectives' best points).
//!
//! Expected values come from the rules the description states (alarm datapoint counts, the
//! group's cooldown, the health-check schedule, queueing formulas, the utilisation law), never
//! from a run's output.

mod capacity_curve;
mod health_check_tuning;
mod not_scaling_down;
mod target_value;
mod visibility_timeout;

use crate::common::Csv;
use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

/// A finished sweep of a shipped experiment: its `points.csv`, `sweep.json` and experiment file.
struct Sweep {
    points: Csv,
    json: Value,
    experiment: Value,
}

/// Runs `albsim sweep experiments/<name>.json --out <tempdir> --quiet` on the shipped file.
fn sweep_shipped(name: &str) -> Sweep {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("experiments/{name}.json"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = Command::cargo_bin("albsim")
        .unwrap()
        .arg("sweep")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "albsim sweep {} failed ({:?}): {}",
        file.display(),
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    Sweep {
        points: Csv::parse(&read("points.csv")),
        json: serde_json::from_str(&read("sweep.json")).unwrap(),
        experiment: serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap(),
    }
}

/// One row of `points.csv`.
struct Point<'a> {
    header: &'a [String],
    row: &'a [String],
}

impl Point<'_> {
    /// The cell of column `name`.
    fn cell(&self, name: &str) -> &str {
        let i = (self.header.iter().position(|h| h == name))
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header));
        &self.row[i]
    }

    /// The cell of column `name` as a number.
    fn num(&self, name: &str) -> f64 {
        let c = self.cell(name);
        c.parse()
            .unwrap_or_else(|_| panic!("{name}: not a number: {c:?}"))
    }

    /// The point's index.
    fn index(&self) -> usize {
        self.num("point") as usize
    }

    /// Mean of `metric` over the replications.
    fn mean(&self, metric: &str) -> f64 {
        self.num(&format!("{metric}_mean"))
    }

    /// 95 % interval `(low, high)` of `metric`'s mean.
    fn ci(&self, metric: &str) -> (f64, f64) {
        (
            self.num(&format!("{metric}_ci95_low")),
            self.num(&format!("{metric}_ci95_high")),
        )
    }
}

impl Sweep {
    /// Every row of `points.csv`.
    fn points(&self) -> Vec<Point<'_>> {
        (self.points.rows.iter())
            .map(|row| Point {
                header: &self.points.header,
                row,
            })
            .collect()
    }

    /// Every replication's value of `metric` at point `index` (from `sweep.json`).
    fn runs(&self, index: usize, metric: &str) -> Vec<f64> {
        let p = &self.json["points"][index];
        assert_eq!(p["index"].as_u64(), Some(index as u64));
        (p["runs"].as_array().expect("runs").iter())
            .map(|r| r["metrics"][metric].as_f64().expect("a number"))
            .collect()
    }

    /// The best points of the objective called `name` (from `sweep.json`), as
    /// (for_each level or "", point index or None).
    fn best(&self, name: &str) -> Vec<(String, Option<usize>)> {
        let o = (self.json["objectives"]
            .as_array()
            .expect("objectives")
            .iter())
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("no objective {name:?}"));
        (o["best"].as_array().expect("best").iter())
            .map(|b| {
                (
                    b["for_each_level"].as_str().unwrap_or("").to_string(),
                    b["point"].as_u64().map(|p| p as usize),
                )
            })
            .collect()
    }
}
